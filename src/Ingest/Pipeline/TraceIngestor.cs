using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Names;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Pipeline;

/// <summary>
/// Ingests one trace file into a database as one run: read (streaming), normalize, segment per device, write into a
/// private staging database, then merge into the user's database in one short transaction. An error at any point
/// leaves the user's database as it was.
/// </summary>
public static class TraceIngestor
{
    /// <summary>Ingests <paramref name="request"/>.<see cref="IngestRequest.TracePath"/>.</summary>
    /// <param name="request">What to ingest and how.</param>
    /// <param name="progress">Optional progress callback (called from the reading thread).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The run id and the summary paragraph.</returns>
    /// <exception cref="TraceFormatException">The trace is not usable JSON (file and byte offset named).</exception>
    /// <exception cref="DatabaseException">The database cannot be written.</exception>
    /// <exception cref="IngestException">Any other input problem (missing file, bad config or profile), in words.</exception>
    public static IngestOutcome Ingest(IngestRequest request, IProgress<IngestProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var timing = new StageTimer();
        var trace = request.TracePath;
        if (!File.Exists(trace)) throw new IngestException($"{trace}: trace file not found.");
        var setup = RunSetup.Resolve(trace, request.ConfigPath, request.Profile);
        var (sha, fileBytes) = HashOrThrow(trace);
        var seg = request.Segmentation;
        var optionsKey = RunIdentity.OptionsKey(ProfileCatalog.ToJson(setup.Profile), seg.AnchorKernel,
            seg.AnchorRole?.ToString().ToLowerInvariant(), seg.NumLayers, setup.Config?.RawJson);

        using var main = LlmDatabase.OpenForWrite(request.DbPath);
        if (!request.Force && RunMerger.FindExisting(main, sha, optionsKey) is long existing)
            return new IngestOutcome(existing, true, $"already present as run {existing} (same file SHA-256 and segmentation options; --force ingests it again)", [], 0, 0, clock.Elapsed);

        timing.Mark("setup");
        using var staging = new StagingDatabase();
        using var normalizer = new EventNormalizer(staging);
        TraceReadSummary read;
        using (var file = new CountingStream(new FileStream(trace, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan)))
        using (var opened = TraceInput.Open(file, trace))
        using (var json = new ReadAheadStream(opened, request.BufferSize))
        {
            var reader = new TraceReader(new TraceReaderOptions { BufferSize = request.BufferSize, Strict = request.Strict });
            read = reader.Read(json, trace, normalizer,
                progress is null ? null : bytes => progress.Report(new IngestProgress("reading", bytes, file.BytesRead, fileBytes)), ct, opened);
        }
        normalizer.Complete();
        normalizer.Dispose();
        if (read.EventCount == 0 && normalizer.Warnings.Entries.Any(e => e.Key == TraceWarningKinds.NoTraceEvents))
            throw new IngestException($"{trace}: not a trace: the JSON has no traceEvents array (a model config.json or other JSON file?); nothing was stored.");
        ct.ThrowIfCancellationRequested();
        timing.Mark("read");
        progress?.Report(new IngestProgress("segmenting", read.JsonBytes, fileBytes, fileBytes));

        var names = normalizer.KernelNames.Strings;
        var categorizer = new KernelCategorizer(setup.Profile);
        var categories = names.Select(n => categorizer.Categorize(n).Category).ToArray();
        var segmentations = new List<DeviceSegmentation>();
        using (var kernelInsert = staging.Insert("kernels", KernelRows.Columns))
        {
            foreach (var device in normalizer.Devices.Values.OrderBy(d => d.Device))
            {
                var s = DeviceSegmentation.Run(device, names, setup.Profile, categorizer, seg, setup.Config, normalizer.Warnings);
                timing.Mark("segment");
                KernelRows.Write(kernelInsert, 0, s, categories, s.Result.HalfLabels, normalizer.SmallTexts);
                SegmentationRows.Write(staging.Connection, staging.Transaction, 0, device.Device, s.Sequence, s.Result);
                timing.Mark("write kernels");
                segmentations.Add(s);
            }
        }
        if (segmentations.Count == 0)
            normalizer.Warnings.Add("no_gpu_kernels", null, "the trace holds no GPU kernel events; nothing to segment (kineto #996: kernels can be dropped by the profiler)");
        foreach (var s in segmentations)
            foreach (var w in s.Result.Warnings)
                normalizer.Warnings.Add(w.Kind, null, segmentations.Count > 1 ? $"device {s.Kernels.Device}: {w.Detail}" : w.Detail);

        progress?.Report(new IngestProgress("writing", read.JsonBytes, fileBytes, fileBytes));
        WriteRunTables(staging, normalizer, setup, names);
        PhaseAssignment.Apply(staging.Connection, staging.Transaction, 0);
        var run = BuildRunRecord(request, setup, sha, fileBytes, optionsKey, read, normalizer, segmentations);
        timing.Mark("write run tables");
        var (runId, already) = MergeOrThrow(main, staging, run, request);
        timing.Mark("merge");
        timing.Report(clock);
        if (already)
            return new IngestOutcome(runId, true, $"already present as run {runId} (ingested meanwhile by another process)", [], 0, read.JsonBytes, clock.Elapsed);
        var summary = IngestSummary.Paragraph(runId, trace, run, read, setup, segmentations, normalizer.Warnings, clock.Elapsed);
        return new IngestOutcome(runId, false, summary, normalizer.Warnings.Lines(), run.KernelCount, read.JsonBytes, clock.Elapsed);
    }

    private static (string, long) HashOrThrow(string trace)
    {
        try
        {
            return RunIdentity.HashFile(trace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IngestException($"{trace}: cannot read the trace file: {ex.Message}", ex);
        }
    }

    private static (long, bool) MergeOrThrow(SqliteConnection main, StagingDatabase staging, RunRecord run, IngestRequest request)
    {
        try
        {
            return RunMerger.Merge(main, staging, run, request.Force);
        }
        catch (SqliteException ex)
        {
            throw LlmDatabase.Translate(request.DbPath, ex);
        }
    }

    private static void WriteRunTables(StagingDatabase staging, EventNormalizer normalizer, RunSetup setup, IReadOnlyList<string> names)
    {
        var c = staging.Connection;
        var tx = staging.Transaction;
        c.Execute("INSERT INTO kernel_names (name_id, name, simplified_name) VALUES ($id, $name, $simple)",
            names.Select((n, i) => new { id = i, name = n, simple = NameSimplifier.Simplify(n) }), tx);
        SegmentationRows.WriteCategoryRules(c, tx, 0, setup.Profile);
        c.Execute("INSERT INTO trace_metadata (run_id, key, value) VALUES (0, $Key, $Value)",
            normalizer.Metadata.Raw.Select(kv => new { kv.Key, kv.Value }), tx);
        c.Execute("INSERT INTO ingest_warnings (run_id, kind, count, first_byte_offset, detail) VALUES (0, $Key, $Count, $Offset, $Detail)",
            normalizer.Warnings.Entries.Select(kv => new { kv.Key, kv.Value.Count, Offset = kv.Value.FirstByteOffset, kv.Value.Detail }), tx);
    }

    private static RunRecord BuildRunRecord(IngestRequest request, RunSetup setup, string sha, long fileBytes, string optionsKey,
        TraceReadSummary read, EventNormalizer normalizer, IReadOnlyList<DeviceSegmentation> segmentations)
    {
        var meta = normalizer.Metadata;
        var first = segmentations.FirstOrDefault();
        long? kernelMin = segmentations.Where(s => s.Sequence.Count > 0).Select(s => (long?)s.Sequence.StartNs[0]).Min();
        long? kernelMaxEnd = segmentations.Where(s => s.Sequence.Count > 0)
            .Select(s => (long?)Enumerable.Range(0, s.Sequence.Count).Max(s.Sequence.EndNs)).Max();
        var start = Min(kernelMin, normalizer.NonKernelMinTsNs);
        var end = Max(kernelMaxEnd, normalizer.NonKernelMaxEndNs);
        var (framework, frameworkEvidence) = request.Framework is { } f
            ? (f, "--framework")
            : RunInference.Framework(normalizer.KernelNames.Strings, normalizer.AnnotationSamples);
        var (model, modelSource) = request.Model is { } m
            ? (m, "--model")
            : ModelFromConfig(setup);
        return new RunRecord
        {
            Label = request.Label,
            SourcePath = request.TracePath,
            SourceBytes = fileBytes,
            SourceSha256 = sha,
            JsonBytes = read.JsonBytes,
            IngestedAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            Framework = framework,
            FrameworkSource = frameworkEvidence,
            GitCommit = request.Commit,
            Model = model,
            ModelSource = modelSource,
            GpuName = meta.GpuName(first?.Kernels.Device),
            Rank = meta.Rank,
            WorldSize = meta.WorldSize,
            Profile = setup.Profile.Name,
            ProfileReason = setup.ProfileReason,
            AnchorKernel = first?.Result.Anchor.Pattern,
            AnchorRole = first?.Result.Anchor.Role.ToString().ToLowerInvariant(),
            AnchorReason = first?.Result.Anchor.Reason,
            NumLayers = first is null ? null : first.Result.NumLayers,
            NumLayersSource = first?.Result.NumLayersSource,
            BlocksPerLayer = first?.Result.Anchor.BlocksPerLayer,
            TraceStartNs = start,
            TraceEndNs = end,
            BaseTimeNs = meta.BaseTimeNs,
            ConfigJson = setup.Config?.RawJson,
            Tags = JsonSerializer.Serialize(request.Tags),
            OptionsKey = optionsKey,
            KernelCount = segmentations.Sum(s => (long)s.Sequence.Count),
            EventCount = read.EventCount,
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
