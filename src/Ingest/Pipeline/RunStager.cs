using System.Globalization;
using System.Text.Json;
using Dapper;
using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Names;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Storage;

namespace LlmPipeline.Ingest.Pipeline;

/// <summary>
/// The per-run steps of an ingest once the trace has been read, for one <see cref="RankPart"/> (the whole file, or
/// one rank of a merged multi-rank file): segment each device, write kernels, segmentation, category rules, metadata,
/// warnings and phases into the part's staging database, and build the <c>runs</c> row.
/// </summary>
internal static class RunStager
{
    /// <summary>Everything of the ingest that is the same for every run of the file.</summary>
    internal sealed record FileContext(IngestRequest Request, RunSetup Setup, string Sha256, long FileBytes, string OptionsKey,
        TraceReadSummary Read, int RunCount, StageTimer Timing, CancellationToken Ct);

    /// <summary>Stages <paramref name="part"/>'s run (its normalizer completed and disposed).</summary>
    /// <returns>The <c>runs</c> row (run id assigned by the merge), the segmentation of each device, and how the passes got their phases.</returns>
    public static (RunRecord Run, IReadOnlyList<DeviceSegmentation> Segmentations, PhaseAssignmentResult Phases) Stage(RankPart part, FileContext file)
    {
        var (request, setup, timing) = (file.Request, file.Setup, file.Timing);
        var normalizer = part.Normalizer;
        var staging = part.Staging;
        var seg = request.Segmentation;
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

        CaptureAttribution.Apply(staging.Connection, staging.Transaction, names, request.TracePath, request.CaptureTraces, normalizer.Warnings, file.Ct);
        WriteRunTables(part, setup, names);
        var phases = PhaseAssignment.Apply(staging.Connection, staging.Transaction, 0, setup.PhaseRules);
        var run = BuildRunRecord(part, file, segmentations);
        timing.Mark("write run tables");
        return (run, segmentations, phases);
    }

    private static void WriteRunTables(RankPart part, RunSetup setup, IReadOnlyList<string> names)
    {
        var c = part.Staging.Connection;
        var tx = part.Staging.Transaction;
        var normalizer = part.Normalizer;
        c.Execute("INSERT INTO kernel_names (name_id, name, simplified_name) VALUES ($id, $name, $simple)",
            names.Select((n, i) => new { id = i, name = n, simple = NameSimplifier.Simplify(n) }), tx);
        SegmentationRows.WriteCategoryRules(c, tx, 0, setup.Profile);
        c.Execute("INSERT INTO trace_metadata (run_id, key, value) VALUES (0, $Key, $Value)",
            normalizer.Metadata.Raw.Select(kv => new { kv.Key, kv.Value }), tx);
        c.Execute("INSERT INTO ingest_warnings (run_id, kind, count, first_byte_offset, detail) VALUES (0, $Key, $Count, $Offset, $Detail)",
            normalizer.Warnings.Entries.Select(kv => new { kv.Key, kv.Value.Count, Offset = kv.Value.FirstByteOffset, kv.Value.Detail }), tx);
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
            SourcePath = request.TracePath,
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
            TraceStartNs = start,
            TraceEndNs = end,
            BaseTimeNs = meta.BaseTimeNs,
            ConfigJson = setup.Config?.RawJson,
            Tags = JsonSerializer.Serialize(request.Tags),
            OptionsKey = file.OptionsKey,
            KernelCount = segmentations.Sum(s => (long)s.Sequence.Count),
            EventCount = merged ? normalizer.EventCount : file.Read.EventCount,
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
