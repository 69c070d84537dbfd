using System.Diagnostics;
using System.Globalization;
using Dapper;
using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Names;
using LlmPipeline.Analysis.Phases;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Phases;
using LlmPipeline.Ingest.Segmenting;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Writing;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Resegment;

/// <summary>
/// Recomputes a stored run's categories and segmentation from its <c>kernels</c> rows, without the trace file
/// (docs/segmentation.md, 'Stored segmentation': another profile, anchor or layer count, without reading the trace
/// again). Used by <c>llmpipe resegment</c> and <c>llmpipe recategorize</c>.
/// </summary>
/// <remarks>
/// Everything happens in one <c>BEGIN IMMEDIATE</c> transaction on the user's database: an error leaves the database
/// as it was. Kernel rows are not written: their labels live apart, and are replaced whole — the segmentation labels
/// as spans (<c>kernel_spans</c>), the categories per kernel name (<c>kernel_name_categories</c>). <c>passes</c>,
/// <c>layers</c>, <c>pass_part_rows</c>, <c>anchor_candidates</c> and <c>category_rules</c> are replaced, segmentation
/// warnings in <c>ingest_warnings</c> are replaced, and the run's profile, anchor, layer count and options fingerprint
/// are updated. Categories are always
/// recomputed too, because segmentation (block-end matching, communication counts, exposed communication) uses them.
/// </remarks>
public static class RunResegmenter
{
    /// <summary>Codes of the warning kinds the segmenter writes (stage <see cref="WarningStage.Segmentation"/> of
    /// <see cref="WarningCatalog"/>); a resegment replaces them, while the reading, normalizing and ingest warnings stay.</summary>
    public static readonly IReadOnlyList<string> SegmentationWarningKinds =
        WarningCatalog.OfStage(WarningStage.Segmentation).Select(k => k.Code).ToList();

    /// <summary>Recomputes run <see cref="ResegmentRequest.RunId"/>.</summary>
    /// <param name="request">Database, run and overrides.</param>
    /// <returns>What changed.</returns>
    /// <exception cref="IngestException">Missing database or run, unknown or malformed profile, unreadable stored config,
    /// negative layer count (message says what is valid).</exception>
    /// <exception cref="DatabaseException">The database cannot be opened or written.</exception>
    public static ResegmentOutcome Run(ResegmentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        if (!File.Exists(request.DbPath))
            throw new IngestException($"{request.DbPath}: no such database. Ingest a trace first: llmpipe ingest TRACE --db {request.DbPath}");
        if (request.NumLayers is < 0)
            throw new IngestException($"--num-layers {request.NumLayers}: the layer count must be positive (0 forgets an ingest-time --num-layers)");
        // The database open (its schema check) keeps one core busy at first: the step-marker rules are read and the
        // segmenter is compiled on the other meanwhile (JIT work that would otherwise wait until the kernels are read).
        _ = Task.Run(Segmenter.Prepare);
        var rulesRead = Task.Run(() => LoadRules(request.StepMarkers));
        using var connection = LlmDatabase.OpenForWrite(request.DbPath);
        var rules = rulesRead.GetAwaiter().GetResult();
        try
        {
            var timing = new StageTimer();
            using var tx = connection.BeginTransaction(deferred: false);
            // Nothing is written before the kernels are read: other connections may read them too (StoredKernels).
            var outcome = Recompute(connection, tx, request, rules, clock, timing: timing, committedPath: request.DbPath);
            tx.Commit();
            timing.Mark("commit");
            timing.Report(clock);
            return outcome;
        }
        catch (SqliteException ex)
        {
            throw LlmDatabase.Translate(request.DbPath, ex);
        }
    }

    private static PhaseRules LoadRules(string? stepMarkers)
    {
        try
        {
            return PhaseRules.ForUserFile(stepMarkers);
        }
        catch (ProfileFormatException ex)
        {
            throw new IngestException(ex.Message, ex);
        }
    }

    /// <summary>Whether module scopes or layer annotations gave any kernel of run <paramref name="runId"/> a decoder-layer
    /// module (<c>kernels.layer_module</c>). The run's kernels are scanned only when some launch context of the database
    /// has a decoder-layer module at all (most serving traces have none: a 1 GB trace's 730 k kernels took 0.2 s).</summary>
    internal static bool HasLayerModules(SqliteConnection c, SqliteTransaction tx, long runId) =>
        c.ExecuteScalar<long>("SELECT EXISTS (SELECT 1 FROM launch_contexts WHERE layer_module IS NOT NULL)", transaction: tx) != 0
        && c.ExecuteScalar<long>("""
            SELECT EXISTS (SELECT 1 FROM kernel_rows AS k JOIN launch_contexts AS x ON x.context_id = k.context_id
                           WHERE k.run_id = $runId AND x.layer_module IS NOT NULL)
            """, new { runId }, tx) != 0;

    /// <summary>
    /// At ingest, inside the run's transaction, for a run whose kernels have decoder-layer modules
    /// (<see cref="HasLayerModules"/>: from eager <c>nn.Module</c> scopes, graph-capture traces or layer annotations):
    /// segments the run again from its stored kernels so that the modules, the strongest evidence, set its layer
    /// boundaries.
    /// </summary>
    /// <returns>The new segmentation of each device (in device order), or null when the profile cannot be read again.</returns>
    /// <param name="c">The user's database.</param>
    /// <param name="tx">The ingest's transaction.</param>
    /// <param name="runId">The run being written.</param>
    /// <param name="rules">The ingest's phase rules (step markers).</param>
    /// <param name="profile">The <c>--profile</c> given at ingest (a built-in name or a file), or null.</param>
    internal static IReadOnlyList<SegmentationResult>? WithLayerModules(SqliteConnection c, SqliteTransaction tx, long runId, PhaseRules rules, string? profile)
    {
        var results = new List<SegmentationResult>();
        try
        {
            Recompute(c, tx, new ResegmentRequest("(ingest)", runId, Profile: profile), rules, Stopwatch.StartNew(), results);
        }
        catch (IngestException)
        {
            // The profile or config cannot be read again: they are resolved before anything is written, so the run keeps
            // the segmentation it was stored with.
            return null;
        }
        return results;
    }

    /// <summary>
    /// Upgrading a database from before schema 5: every run segmented by the older build (<c>layer_evidence</c> NULL)
    /// is segmented again from its stored kernels with the options it was ingested with, inside the upgrade's
    /// transaction. A run whose profile cannot be found again (a profile file given at ingest) keeps its old rows.
    /// </summary>
    internal static void UpgradeStoredRuns(SqliteConnection c, SqliteTransaction tx)
    {
        var rules = PhaseRules.ForUserFile(null);
        foreach (var runId in c.Query<long>("SELECT run_id FROM runs WHERE layer_evidence IS NULL ORDER BY run_id", transaction: tx).ToList())
        {
            try
            {
                Recompute(c, tx, new ResegmentRequest("(schema upgrade)", runId), rules, Stopwatch.StartNew(), []);
            }
            catch (IngestException)
            {
                // Keeps the run as it was; `llmpipe resegment --run N --profile FILE` moves it later.
            }
        }
    }

    private static ResegmentOutcome Recompute(SqliteConnection c, SqliteTransaction tx, ResegmentRequest request,
        PhaseRules rules, Stopwatch clock, List<SegmentationResult>? results = null, StageTimer? timing = null, string? committedPath = null)
    {
        var runId = request.RunId;
        // A committed run's kernels are read on read-only connections of their own, starting now: the checks and the
        // profile below run meanwhile.
        using var kernelsRead = committedPath is null ? null : BackgroundRead<StoredKernels>.Start(() => StoredKernels.ReadCommitted(committedPath, runId));
        var run = c.QuerySingleOrDefault<StoredRun>("""
            SELECT profile AS Profile, profile_reason AS ProfileReason, anchor_kernel AS AnchorKernel, anchor_role AS AnchorRole,
                   anchor_reason AS AnchorReason, num_layers AS NumLayers, num_layers_source AS NumLayersSource,
                   config_json AS ConfigJson
            FROM runs WHERE run_id = $runId
            """, new { runId }, tx);
        if (run is null)
        {
            var ids = c.Query<long>("SELECT run_id FROM runs ORDER BY run_id", transaction: tx).ToList();
            throw new IngestException(ids.Count == 0
                ? $"run {runId} does not exist: {request.DbPath} has no runs"
                : $"run {runId} does not exist in {request.DbPath}; valid run ids: {string.Join(", ", ids)}");
        }
        var profile = ResolveProfile(request, run, runId);
        var config = ParseConfig(run.ConfigJson, runId);
        var options = EffectiveOptions(request, run) with
        {
            TraceCutShort = c.ExecuteScalar<long>("SELECT COUNT(*) FROM ingest_warnings WHERE run_id = $runId AND kind = $kind",
                new { runId, kind = WarningCatalog.TruncatedFile.Code }, tx) > 0,
        };

        var categorizer = new KernelCategorizer(profile);
        var stored = kernelsRead?.Result ?? StoredKernels.Read(c, tx, runId);
        var categoryOfName = stored.Names.Select(n => categorizer.Categorize(n).Category).ToArray();
        timing?.Mark("read kernels");

        // The devices are segmented on a worker thread, in device order, while this one counts and deletes the old rows
        // and writes each device's new rows as soon as it is segmented.
        var pending = stored.Devices.Select(_ => new TaskCompletionSource<(KernelSequence, SegmentationResult)>()).ToArray();
        _ = Task.Run(() => SegmentAll(stored, profile, categorizer, options, config, pending));
        // What phase assignment reads of the run (markers, launch times) does not change here: a committed run's is read
        // on a connection of its own meanwhile.
        using var phaseInputs = committedPath is null ? null : BackgroundRead<PhaseAssignment.Inputs>.Start(() => ReadPhaseInputs(committedPath, runId, rules));
        var before = CountRows(c, tx, runId);
        var categoriesChanged = ChangedCategories(stored, NameCategories.Read(c, tx, runId), categoryOfName);
        var warnings = new WarningLog();
        SegmentationRows.Delete(c, tx, runId);
        var segmented = new List<SegmentationResult>();
        for (var d = 0; d < stored.Devices.Count; d++)
        {
            var device = stored.Devices[d];
            var (sequence, result) = pending[d].Task.GetAwaiter().GetResult();
            segmented.Add(result);
            timing?.Mark("segment");
            SegmentationRows.Write(c, tx, runId, device.Device, sequence, result, device.KernelIdx);
            timing?.Mark("write segmentation");
            foreach (var w in result.Warnings)
                warnings.Add(w.Kind, null, stored.Devices.Count > 1 ? $"device {device.Device}: {w.Detail}" : w.Detail);
        }
        var first = segmented.FirstOrDefault();
        results?.AddRange(segmented);
        NameCategories.Write(c, tx, runId, stored.NameIds, categoryOfName);
        timing?.Mark("write categories");
        // New passes need their phase, batch size and outlier flags again (the same step as at ingest).
        var phases = PhaseAssignment.Apply(c, tx, runId, rules,
            new PhaseAssignment.KernelsInMemory(stored.Names, PassKernels(stored.Devices, segmented)), phaseInputs?.Result);
        timing?.Mark("phases");
        c.Execute("DELETE FROM category_rules WHERE run_id = $runId", new { runId }, tx);
        SegmentationRows.WriteCategoryRules(c, tx, runId, profile);
        c.Execute("DELETE FROM ingest_warnings WHERE run_id = $runId AND kind IN @kinds",
            new { runId, kinds = SegmentationWarningKinds.Concat(warnings.Entries.Select(e => e.Key)).Distinct().ToArray() }, tx);
        c.Execute("INSERT INTO ingest_warnings (run_id, kind, count, first_byte_offset, detail) VALUES ($runId, $Key, $Count, NULL, $Detail)",
            warnings.Entries.Select(kv => new { runId, kv.Key, kv.Value.Count, kv.Value.Detail }), tx);

        // Layer ids that are annotation names (user_annotation / gpu_user_annotation ranges naming layers) came from
        // annotations, not module scopes.
        if (first?.Evidence == LayerEvidence.ModuleScopes && c.ExecuteScalar<long>("""
                SELECT EXISTS (SELECT 1 FROM kernel_rows AS k JOIN launch_contexts AS x ON x.context_id = k.context_id
                               JOIN annotations AS a ON a.run_id = k.run_id AND a.name = x.layer_module
                               WHERE k.run_id = $runId)
                """, new { runId }, tx) != 0)
        {
            static SegmentationResult FromAnnotations(SegmentationResult r) => r.Evidence != LayerEvidence.ModuleScopes ? r
                : r with
                {
                    Evidence = LayerEvidence.Annotations,
                    EvidenceDetail = r.EvidenceDetail.Replace("decoder-layer module (nn.Module scopes",
                        "layer annotation (user_annotation / gpu_user_annotation ranges that name layers", StringComparison.Ordinal),
                };
            first = FromAnnotations(first);
            for (var i = 0; results is not null && i < results.Count; i++) results[i] = FromAnnotations(results[i]);
        }
        var roleText = options.AnchorRole?.ToString().ToLowerInvariant();
        var optionsKey = RunIdentity.OptionsKey(ProfileCatalog.ToJson(profile), options.AnchorKernel, roleText, options.NumLayers, config?.RawJson);
        var profileReason = request.Profile is null || results is not null ? run.ProfileReason : $"--profile {request.Profile} (llmpipe resegment/recategorize)";
        c.Execute("""
            UPDATE runs SET profile = $Profile, profile_reason = $ProfileReason, anchor_kernel = $AnchorKernel,
                anchor_role = $AnchorRole, anchor_reason = $AnchorReason, num_layers = $NumLayers,
                num_layers_source = $NumLayersSource, blocks_per_layer = $BlocksPerLayer, options_key = COALESCE($OptionsKey, options_key),
                layer_evidence = $LayerEvidence, layer_evidence_detail = $LayerEvidenceDetail
            WHERE run_id = $RunId
            """, new
        {
            RunId = runId, Profile = profile.Name, ProfileReason = profileReason,
            AnchorKernel = first?.Anchor.Pattern, AnchorRole = first?.Anchor.Role.ToString().ToLowerInvariant(),
            AnchorReason = first?.Anchor.Reason, NumLayers = first is null ? (int?)null : first.NumLayers,
            NumLayersSource = first?.NumLayersSource, BlocksPerLayer = first?.Anchor.BlocksPerLayer,
            OptionsKey = results is null ? optionsKey : null, // at ingest the run keeps the options it was ingested with
            LayerEvidence = first?.Evidence.ToSql(), LayerEvidenceDetail = first?.EvidenceDetail,
        }, tx);

        timing?.Mark("run tables");
        var after = CountRows(c, tx, runId);
        var kernels = stored.Devices.Sum(d => (long)d.TsNs.Length);
        var summary = Summarize(runId, profile.Name, first, kernels, categoriesChanged, before, after, clock.Elapsed);
        return new ResegmentOutcome(runId, profile.Name, kernels, categoriesChanged, before.Passes, after.Passes,
            before.Layers, after.Layers, summary, warnings.Lines(), clock.Elapsed, phases);
    }

    private static ModelProfile ResolveProfile(ResegmentRequest request, StoredRun run, long runId)
    {
        var name = request.Profile ?? run.Profile;
        try
        {
            return ProfileCatalog.Get(name);
        }
        catch (UnknownProfileException ex) when (request.Profile is null)
        {
            throw new IngestException($"run {runId} was segmented with profile '{name}', which is neither a built-in profile nor a file here; give the profile again with --profile NAME|FILE ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is UnknownProfileException or ProfileFormatException or IOException)
        {
            throw new IngestException(ex.Message, ex);
        }
    }

    private static ModelConfig? ParseConfig(string? json, long runId)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            return ModelConfigReader.Parse(json, $"run {runId} config_json");
        }
        catch (Exception ex) when (ex is ModelConfigException or System.Text.Json.JsonException)
        {
            throw new IngestException($"run {runId}: the stored model config cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Overrides first, then the options given at ingest (recognised by the stored reasons).</summary>
    private static SegmentationOptions EffectiveOptions(ResegmentRequest request, StoredRun run)
    {
        int? numLayers = request.NumLayers switch
        {
            0 => null,
            int n => n,
            null => run.NumLayersSource == "--num-layers" ? (int?)run.NumLayers : null,
        };
        var anchorFromFlag = run.AnchorReason?.StartsWith("--anchor-kernel", StringComparison.Ordinal) == true;
        var anchor = request.AnchorKernel ?? (anchorFromFlag ? run.AnchorKernel : null);
        var role = request.AnchorRole ?? (request.AnchorKernel is null && anchorFromFlag ? ParseRole(run.AnchorRole) : null);
        return new SegmentationOptions(anchor, role, numLayers);
    }

    private static AnchorRole? ParseRole(string? text) => text switch
    {
        "opens" => AnchorRole.Opens,
        "closes" => AnchorRole.Closes,
        _ => null,
    };

    private static KernelSequence Sequence(StoredDevice device, IReadOnlyList<string> names) =>
        new(device.TsNs, device.DurNs, device.NameId, names) { LayerModule = device.LayerModule, LaunchedByBackward = device.LaunchedByBackward };

    /// <summary>Every kernel with a new pass, in kernel_idx order per device, for <see cref="PhaseAssignment"/> (the rows it would read back).</summary>
    private static IEnumerable<(long Device, long Pass, long? Correlation, long TsNs, int NameId)> PassKernels(
        IReadOnlyList<StoredDevice> devices, IReadOnlyList<SegmentationResult> results)
    {
        for (var d = 0; d < devices.Count; d++)
        {
            var (device, pass) = (devices[d], results[d].PassIdx);
            for (var i = 0; i < device.TsNs.Length; i++)
            {
                if (pass[i] < 0) continue;
                var corr = device.Correlation[i];
                yield return (device.Device, pass[i], corr == long.MinValue ? null : corr, device.TsNs[i], device.NameId[i]);
            }
        }
    }

    /// <summary>The run's phase markers and launch times, read on a read-only connection of their own.</summary>
    private static PhaseAssignment.Inputs ReadPhaseInputs(string path, long runId, PhaseRules rules)
    {
        using var connection = LlmDatabase.OpenReadOnly(path);
        return PhaseAssignment.ReadInputs(connection, null, runId, rules);
    }

    /// <summary>Segments each device in order into <paramref name="pending"/>; an exception fails the device and every later one.</summary>
    private static void SegmentAll(StoredKernels stored, ModelProfile profile, KernelCategorizer categorizer, SegmentationOptions options,
        ModelConfig? config, TaskCompletionSource<(KernelSequence, SegmentationResult)>[] pending)
    {
        for (var d = 0; d < pending.Length; d++)
        {
            try
            {
                var sequence = Sequence(stored.Devices[d], stored.Names);
                pending[d].SetResult((sequence, Segmenter.Segment(sequence, profile, categorizer, options, config)));
            }
            catch (Exception ex)
            {
                for (var rest = d; rest < pending.Length; rest++) pending[rest].SetException(ex);
                return;
            }
        }
    }

    /// <summary>How many of the run's kernels get another category than the stored one of their name.</summary>
    private static long ChangedCategories(StoredKernels stored, IReadOnlyDictionary<long, string> before, IReadOnlyList<string> after)
    {
        var changedName = new bool[stored.Names.Count];
        for (var i = 0; i < changedName.Length; i++)
            changedName[i] = !before.TryGetValue(stored.NameIds[i], out var old) || old != after[i];
        long changed = 0;
        foreach (var device in stored.Devices)
            foreach (var name in device.NameId)
                if (changedName[name]) changed++;
        return changed;
    }

    private static (long Passes, long Layers) CountRows(SqliteConnection c, SqliteTransaction tx, long runId) =>
        (c.ExecuteScalar<long>("SELECT COUNT(*) FROM passes WHERE run_id = $runId", new { runId }, tx),
         c.ExecuteScalar<long>("SELECT COUNT(*) FROM layers WHERE run_id = $runId", new { runId }, tx));

    private static string Summarize(long runId, string profile, SegmentationResult? r, long kernels, long categoriesChanged,
        (long Passes, long Layers) before, (long Passes, long Layers) after, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var anchor = r is null
            ? "no kernels"
            : r.Anchor.Pattern is null
                ? $"no anchor ({r.Anchor.Reason})"
                : $"anchor '{(r.Anchor.Pattern.Length > 80 ? NameSimplifier.Simplify(r.Anchor.Pattern) : r.Anchor.Pattern)}' {r.Anchor.Role.ToString().ToLowerInvariant()} its block, {r.Anchor.BlocksPerLayer} block(s) per layer; {r.NumLayers} layers per pass ({r.NumLayersSource})";
        return string.Create(inv,
            $"run {runId}: profile {profile}, {anchor}; passes {before.Passes} -> {after.Passes}, layers {before.Layers} -> {after.Layers}; {kernels} kernels kept with their times, {categoriesChanged} changed category; {elapsed.TotalSeconds:0.00} s");
    }

    private sealed class StoredRun
    {
        public string Profile { get; set; } = "";
        public string? ProfileReason { get; set; }
        public string? AnchorKernel { get; set; }
        public string? AnchorRole { get; set; }
        public string? AnchorReason { get; set; }
        public long? NumLayers { get; set; }
        public string? NumLayersSource { get; set; }
        public string? ConfigJson { get; set; }
    }
}
