using System.Globalization;
using System.Text.Json;
using Dapper;
using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Names;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Launches;
using LlmPipeline.Ingest.Phases;
using LlmPipeline.Ingest.Ranks;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Resegment;
using LlmPipeline.Ingest.Segmenting;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Writing;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>
/// The per-run steps of an ingest once the trace has been read, for one <see cref="RankPart"/> (the whole file, or
/// one rank of a merged multi-rank file). On a worker thread while the file's companion capture traces are read and
/// the merge transaction copies the staged rows: <see cref="PrepareKernels"/> links kernels to their launching CPU
/// operators and sorts each device, then <see cref="Stage"/> segments each device in memory and builds the <c>runs</c>
/// row. <see cref="WriteKernels"/>, inside the merge transaction, writes a run's kernel rows meanwhile.
/// <see cref="Park"/>, for a file of a group before the next file is read: write the kernel and segmentation rows into
/// the group's staging database and free the kernels. <see cref="Write"/>, inside the merge transaction once the run
/// is segmented: write segmentation (from memory, or kernels and segmentation copied from where they were parked), the
/// category of each kernel name, category rules, metadata, graph-replay attribution, warnings and phases into the
/// user's database.
/// </summary>
internal static class RunStager
{
    /// <summary>Everything of the ingest that is the same for every run of the file.</summary>
    internal sealed record FileContext(IngestRequest Request, RunSetup Setup, string Sha256, long FileBytes, string OptionsKey,
        TraceReadSummary Read, int RunCount, StageTimer Timing, CancellationToken Ct);

    /// <summary>
    /// A part's kernels ready for their rows (<see cref="WriteKernels"/>): launching ops resolved, each device in start
    /// order (<see cref="DeviceSegmentation.Prepare"/>), not segmented yet.
    /// </summary>
    /// <param name="Part">The rank part.</param>
    /// <param name="Devices">Its devices, in device order.</param>
    /// <param name="Unlinked">Kernels whose External id no cpu_op of the trace has.</param>
    /// <param name="Categories">Category key by run-local kernel name id.</param>
    /// <param name="Categorizer">The run's categorizer that gave them (segmentation reads it again, from its cache).</param>
    internal sealed record PreparedKernels(RankPart Part, IReadOnlyList<DeviceSegmentation> Devices, long Unlinked, string[] Categories,
        KernelCategorizer Categorizer);

    /// <summary>Links <paramref name="part"/>'s kernels (its normalizer completed) to their launching CPU operators and sorts each device.</summary>
    /// <exception cref="SqliteException">The staging database cannot be read.</exception>
    public static PreparedKernels PrepareKernels(RankPart part, FileContext file)
    {
        var normalizer = part.Normalizer;
        var names = normalizer.KernelNames.Strings;
        var categorizer = new KernelCategorizer(file.Setup.Profile);
        var categories = names.Select(n => categorizer.Categorize(n).Category).ToArray();
        var devices = new List<DeviceSegmentation>();
        long unlinked = 0;
        foreach (var device in normalizer.Devices.Values.OrderBy(d => d.Device))
        {
            unlinked += LaunchingOps.Resolve(part.Staging, device);
            devices.Add(DeviceSegmentation.Prepare(device, names, normalizer.Warnings, normalizer.OpNames.Strings));
        }
        return new PreparedKernels(part, devices, unlinked, categories, categorizer);
    }

    /// <summary>Segments <paramref name="prepared"/>'s devices and builds its <c>runs</c> row.</summary>
    public static StagedRun Stage(PreparedKernels prepared, FileContext file)
    {
        var (request, setup) = (file.Request, file.Setup);
        var part = prepared.Part;
        var normalizer = part.Normalizer;
        // A file cut short ends inside its last step.
        var options = request.Segmentation with { TraceCutShort = normalizer.Warnings.Contains(WarningCatalog.TruncatedFile) };
        foreach (var device in prepared.Devices) device.Segment(setup.Profile, prepared.Categorizer, options, setup.Config);
        var segmentations = prepared.Devices;
        var kernels = segmentations.Sum(s => (long)s.Kernels.Count);
        if (prepared.Unlinked > 0)
            normalizer.Warnings.Add(WarningCatalog.ExternalIdWithoutCpuOp, null,
                $"{prepared.Unlinked} of {kernels} kernels carry an External id that no cpu_op of the trace has, so their op_name and input_dims are NULL (the trace was recorded without CPU operators, or its kernels' External ids do not refer to them)", prepared.Unlinked);
        if (segmentations.Count == 0)
            normalizer.Warnings.Add(WarningCatalog.NoGpuKernels, null, "the trace holds no GPU kernel events; nothing to segment (kineto #996: kernels can be dropped by the profiler)");
        foreach (var s in segmentations)
            foreach (var w in s.Result.Warnings)
                normalizer.Warnings.Add(w.Kind, null, segmentations.Count > 1 ? $"device {s.Kernels.Device}: {w.Detail}" : w.Detail);
        return new StagedRun(part, BuildRunRecord(part, file, segmentations), segmentations, prepared.Categories);
    }

    /// <summary>
    /// Writes <paramref name="prepared"/>'s kernel rows as run <paramref name="runId"/> of the user's database, inside the
    /// merge transaction, while the run is still being segmented (a kernel row holds no label): adds the names and
    /// launch contexts the database lacks.
    /// </summary>
    /// <returns>The database's <c>kernel_names.name_id</c> by run-local name id and the (launch context, name) pairs
    /// written, for <see cref="Write"/>.</returns>
    /// <exception cref="SqliteException">The database cannot be written.</exception>
    public static WrittenKernels WriteKernels(PreparedKernels prepared, FileContext file, RunMerger merger, long runId)
    {
        var (main, tx) = (merger.Connection, merger.Transaction);
        var normalizer = prepared.Part.Normalizer;
        var nameIds = KernelNameIds(main, tx, normalizer.KernelNames.Strings);
        using var contexts = new LaunchContexts(main, tx, normalizer.SmallTexts, normalizer.OpNames, normalizer.OpDims);
        using var insert = new MultiRowInsert(main, KernelRows.Table, KernelRows.Columns, file.Request.RowsPerStatement);
        var dictionaries = new KernelRows.Dictionaries(nameIds, contexts, []);
        foreach (var s in prepared.Devices) KernelRows.Write(insert, runId, s, dictionaries);
        insert.Flush();
        return new WrittenKernels(nameIds, dictionaries.WorkPairs!);
    }

    /// <summary>What <see cref="WriteKernels"/> wrote.</summary>
    /// <param name="NameIds">The database's <c>kernel_names.name_id</c> by run-local name id.</param>
    /// <param name="WorkPairs">Each distinct (launch context id, name id) pair of the rows.</param>
    internal sealed record WrittenKernels(long[] NameIds, HashSet<(long Context, long Name)> WorkPairs);

    /// <summary>
    /// Parks <paramref name="staged"/> in <paramref name="group"/> until the transaction that stores its group: copies its
    /// staged CPU-side rows there, writes its kernel rows (run-local name ids and launch-context numbers) and segmentation
    /// rows there, frees its kernels (<see cref="StagedRun.ParkedAs"/>) and deletes its own staging file.
    /// </summary>
    /// <exception cref="SqliteException">A staging file cannot be read or written (a full temporary folder).</exception>
    public static void Park(StagedRun staged, FileContext file, GroupStagingDatabase group)
    {
        var segmentations = staged.Segmentations ?? throw new InvalidOperationException("the run is parked already");
        var parkedRunId = group.AddRun(staged.Part.Staging);
        var connection = group.Connection;
        var contexts = new RunLocalLaunchContexts();
        using (var tx = connection.BeginTransaction())
        {
            using (var insert = new MultiRowInsert(connection, KernelRows.Table, KernelRows.Columns, file.Request.RowsPerStatement))
            {
                var localNameIds = Enumerable.Range(0, staged.Part.Normalizer.KernelNames.Strings.Count).Select(i => (long)i).ToArray();
                var dictionaries = new KernelRows.Dictionaries(localNameIds, contexts);
                foreach (var s in segmentations) KernelRows.Write(insert, parkedRunId, s, dictionaries);
                insert.Flush();
            }
            foreach (var s in segmentations) SegmentationRows.Write(connection, tx, parkedRunId, s.Kernels.Device, s.Sequence, s.Result);
            tx.Commit();
        }
        staged.ParkedAs(new StagedRun.ParkedRows(parkedRunId, contexts.Keys));
        staged.Part.Staging.Dispose();
        file.Timing.Mark("park");
    }

    /// <summary>
    /// Writes <paramref name="staged"/> as run <paramref name="runId"/> of the user's database, inside the merge
    /// transaction (after the staged launches, annotations and memory operations were copied: graph-replay
    /// attribution and phases read them, and, for a run in memory, after <see cref="WriteKernels"/>), and sets
    /// <see cref="StagedRun.Replays"/> and <see cref="StagedRun.Phases"/>. A parked run's kernel and segmentation rows
    /// are copied from the group staging database, attached to <paramref name="merger"/> as its staging file 0.
    /// </summary>
    /// <param name="staged">The run.</param>
    /// <param name="file">What is the same for every run of its file.</param>
    /// <param name="companions">The file's companion capture traces, read before the transaction.</param>
    /// <param name="merger">The merge transaction.</param>
    /// <param name="runId">The run's id.</param>
    /// <param name="written">For a run in memory, what <see cref="WriteKernels"/> returned; null for a parked run.</param>
    /// <exception cref="SqliteException">The database cannot be written.</exception>
    public static void Write(StagedRun staged, FileContext file, GraphCaptureTraceSet companions, RunMerger merger, long runId,
        WrittenKernels? written)
    {
        var (request, setup, timing) = (file.Request, file.Setup, file.Timing);
        var (main, tx) = (merger.Connection, merger.Transaction);
        var normalizer = staged.Part.Normalizer;
        var names = normalizer.KernelNames.Strings;
        long[] nameIds;
        if (staged.Parked is { } parked)
        {
            nameIds = KernelNameIds(main, tx, names);
            long?[] contextIds;
            using (var contexts = new LaunchContexts(main, tx, normalizer.SmallTexts, normalizer.OpNames, normalizer.OpDims))
                contextIds = parked.Contexts.Select(c => contexts.IdOf(c.Op, c.Dims, c.Grid, c.Block)).ToArray();
            KernelRows.CopyParked(merger, 0, parked.RunId, runId, nameIds, contextIds);
            timing.Mark("write kernels");
            merger.CopyStaged(0, parked.RunId, runId, SegmentationRows.Tables);
        }
        else
        {
            nameIds = written?.NameIds ?? throw new ArgumentNullException(nameof(written), "a run in memory has its kernel rows written first (WriteKernels)");
            foreach (var s in staged.Segmentations!) SegmentationRows.Write(main, tx, runId, s.Kernels.Device, s.Sequence, s.Result);
        }
        timing.Mark("write segmentation");
        NameCategories.Write(main, tx, runId, nameIds, staged.Categories);
        SegmentationRows.WriteCategoryRules(main, tx, runId, setup.Profile);
        main.Execute("INSERT INTO trace_metadata (run_id, key, value) VALUES ($runId, $Key, $Value)",
            normalizer.Metadata.Raw.Select(kv => new { runId, kv.Key, kv.Value }), tx);
        var eagerModules = EagerModules.Apply(main, tx, runId, normalizer.ModuleScopes);
        timing.Mark("write run tables");
        var categorizer = new KernelCategorizer(setup.Profile);
        var replays = staged.Replays = GraphReplayAttribution.Apply(main, tx, runId, companions, normalizer.Warnings, file.Ct,
            hasGraphLaunches: normalizer.GraphLaunchCount > 0, categorize: n => categorizer.Categorize(n).Category);
        if (replays.ReplayKernels > 0)
            main.Execute("""
                UPDATE runs SET graph_launch_api = $Api, replay_kernels = $ReplayKernels, replay_attributed = $Attributed,
                                replay_match = $Method, replay_captures = $Files WHERE run_id = $runId
                """, new { replays.Api, replays.ReplayKernels, replays.Attributed, replays.Method, Files = replays.FilesUsed.Count == 0 ? null : string.Join(", ", replays.FilesUsed), runId }, tx);
        timing.Mark("graph replays");
        // Module scopes (eager nn.Module scopes, or graph-capture traces) are the strongest layer-boundary evidence; they
        // are known once the kernel rows are written, so a run that has them is segmented again from its stored rows (at
        // the end). Annotation ranges that name layers are used where no module scope gave a kernel its layer; they give
        // those kernels new launch contexts, so they go before the work of the run's launch contexts is computed.
        var hasLayerModules = RunResegmenter.HasLayerModules(main, tx, runId) || LayerAnnotations.Apply(main, tx, runId) > 0;
        // FLOPs / bytes of the new launch contexts and the run's GPU peaks (efficiency views); an unknown GPU is one warning.
        // The pairs known from writing the kernel rows hold unless a step above gave kernels other launch contexts.
        var contextsChanged = eagerModules > 0 || replays.Attributed > 0 || hasLayerModules;
        WorkTables.Refresh(main, tx, runId, Analysis.Efficiency.GpuSpecs.Load(request.GpuSpecs),
            line => normalizer.Warnings.Add(WarningCatalog.UnknownGpu, null, line), contextsChanged ? null : written?.WorkPairs);
        timing.Mark("work tables");
        main.Execute("INSERT INTO ingest_warnings (run_id, kind, count, first_byte_offset, detail) VALUES ($runId, $Key, $Count, $Offset, $Detail)",
            normalizer.Warnings.Entries.Select(kv => new { runId, kv.Key, kv.Value.Count, Offset = kv.Value.FirstByteOffset, kv.Value.Detail }), tx);
        // A parked run's kernels are read back from their stored rows (as resegment does): the same votes.
        staged.Phases = PhaseAssignment.Apply(main, tx, runId, setup.PhaseRules,
            staged.Segmentations is { } inMemory ? new PhaseAssignment.KernelsInMemory(names, PassKernels(inMemory)) : null);
        timing.Mark("phases");
        if (hasLayerModules && RunResegmenter.WithLayerModules(main, tx, runId, setup.PhaseRules, request.Profile) is { } results)
        {
            for (var i = 0; i < staged.Results.Count && i < results.Count; i++) staged.SetResult(i, results[i]);
            timing.Mark("segment by module scopes");
        }
    }

    /// <summary>Every kernel with a pass, in kernel_idx order per device, for <see cref="PhaseAssignment"/>.</summary>
    private static IEnumerable<(long Device, long Pass, long? Correlation, long TsNs, int NameId)> PassKernels(IReadOnlyList<DeviceSegmentation> segmentations)
    {
        foreach (var s in segmentations)
        {
            var (pass, seq, correlation) = (s.Result.PassIdx, s.Sequence, s.Kernels.Correlation);
            for (var i = 0; i < s.Order.Length; i++)
            {
                if (pass[i] < 0) continue;
                var corr = correlation[s.Order[i]];
                yield return (s.Kernels.Device, pass[i], corr == long.MinValue ? null : corr, seq.StartNs[i], seq.NameId[i]);
            }
        }
    }

    /// <summary>The database's <c>kernel_names.name_id</c> of every run-local name, adding the names it lacks.</summary>
    private static long[] KernelNameIds(SqliteConnection main, SqliteTransaction tx, IReadOnlyList<string> names)
    {
        using var add = main.CreateCommand();
        add.Transaction = tx;
        add.CommandText = "INSERT OR IGNORE INTO kernel_names (name, simplified_name) VALUES ($name, $simple); SELECT name_id FROM kernel_names WHERE name = $name";
        var name = add.Parameters.Add("$name", SqliteType.Text);
        var simple = add.Parameters.Add("$simple", SqliteType.Text);
        simple.Value = ""; // not used for a stored name
        var (stored, taken) = StoredNames(main, tx);
        var ids = new long[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            name.Value = names[i];
            // A name already stored keeps its simplified name (INSERT OR IGNORE); a new one gets one no other name has.
            if (!stored.Contains(names[i]))
            {
                stored.Add(names[i]);
                simple.Value = NameSimplifier.Claim(names[i], taken);
            }
            ids[i] = (long)add.ExecuteScalar()!;
        }
        return ids;
    }

    /// <summary>The names and the simplified names stored in <c>kernel_names</c>.</summary>
    private static (HashSet<string> Names, HashSet<string> Simplified) StoredNames(SqliteConnection main, SqliteTransaction tx)
    {
        using var read = main.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "SELECT name, simplified_name FROM kernel_names";
        using var reader = read.ExecuteReader();
        var (names, simplified) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
            simplified.Add(reader.GetString(1));
        }
        return (names, simplified);
    }

    private static RunRecord BuildRunRecord(RankPart part, FileContext file, IReadOnlyList<DeviceSegmentation> segmentations)
    {
        var (request, setup) = (file.Request, file.Setup);
        var normalizer = part.Normalizer;
        var meta = normalizer.Metadata;
        var first = segmentations.FirstOrDefault();
        long? kernelMin = segmentations.Where(s => s.Sequence.Count > 0).Select(s => (long?)s.Sequence.StartNs[0]).Min();
        long? kernelMaxEnd = segmentations.Where(s => s.Sequence.Count > 0)
            .Select(s => (long?)Enumerable.Range(0, s.Sequence.Count).Max(s.Sequence.EndNs)).Max();
        var start = Min(kernelMin, normalizer.NonKernelMinTsNs);
        var end = Max(kernelMaxEnd, normalizer.NonKernelMaxEndNs);
        var (framework, frameworkEvidence) = request.Framework is { } f
            ? (f, "--framework")
            : Normalizing.RunInference.Framework(normalizer.KernelNames.Strings, normalizer.AnnotationSamples);
        var (model, modelSource) = request.Model is { } m
            ? (m, "--model")
            : ModelFromConfig(setup);
        var merged = part.Rank is not null;
        return new RunRecord
        {
            Label = request.Label,
            SourcePath = Path.GetFullPath(request.TracePath), // absolute: perfetto --serve finds it from any folder
            SourceBytes = file.FileBytes,
            SourceSha256 = file.Sha256,
            JsonBytes = file.Read.JsonBytes,
            IngestedAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            Framework = framework,
            FrameworkSource = frameworkEvidence,
            GitCommit = request.Commit,
            Model = model,
            ModelSource = modelSource,
            GpuName = meta.GpuName(first?.Kernels.Device),
            // A merged file's distributedInfo speaks for one rank at most: its rank labels win there.
            Rank = merged ? part.Rank : meta.Rank,
            WorldSize = merged ? file.RunCount : meta.WorldSize,
            Profile = setup.Profile.Name,
            ProfileReason = setup.ProfileReason,
            AnchorKernel = first?.Result.Anchor.Pattern,
            AnchorRole = first?.Result.Anchor.Role.ToString().ToLowerInvariant(),
            AnchorReason = first?.Result.Anchor.Reason,
            NumLayers = first is null ? null : first.Result.NumLayers,
            NumLayersSource = first?.Result.NumLayersSource,
            BlocksPerLayer = first?.Result.Anchor.BlocksPerLayer,
            LayerEvidence = first?.Result.Evidence.ToSql(),
            LayerEvidenceDetail = first?.Result.EvidenceDetail,
            TraceStartNs = start,
            TraceEndNs = end,
            BaseTimeNs = meta.BaseTimeNs,
            ConfigJson = setup.Config?.RawJson,
            Tags = JsonSerializer.Serialize(request.Tags),
            OptionsKey = file.OptionsKey,
            KernelCount = segmentations.Sum(s => (long)s.Sequence.Count),
            EventCount = merged ? normalizer.EventCount : file.Read.EventCount,
            GraphLaunchCount = normalizer.KernelLaunchCount > 0 ? normalizer.GraphLaunchCount : null,
        };
    }

    private static (string?, string?) ModelFromConfig(RunSetup setup)
    {
        var config = setup.Config;
        if (config is null) return (null, null);
        if (config.Scalars.TryGetValue("_name_or_path", out var path) && path.Length > 0) return (path, "config _name_or_path");
        if (config.ModelType is { Length: > 0 } type) return (type, "config model_type");
        return (null, null);
    }

    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
