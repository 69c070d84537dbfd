using System.IO.Compression;

namespace LlmPipeline.TraceGen;

/// <summary>
/// Writes deterministic synthetic Kineto (torch.profiler) traces. Output streams: memory use is one pass's timing
/// arrays plus a 1 MiB buffer, whatever the file size.
/// </summary>
public static class TraceWriter
{
    /// <summary>
    /// Writes one trace (one rank) as UTF-8 JSON to <paramref name="output"/> (not closed; flushed at the end).
    /// Top-level keys in order: schemaVersion, deviceProperties, distributedInfo, record_shapes, with_stack,
    /// profile_memory, cupti/cuda versions, trace_id, baseTimeNanoseconds, displayTimeUnit ("ms"), traceEvents,
    /// traceName. Events: M metadata (process/thread names), then per pass [step annotations] and per kernel
    /// [cpu_op, cuda_runtime, ac2g s] kernel [ac2g f], then the profiler "Trace" span and a "Record Window End" instant.
    /// ts/dur are µs relative to baseTimeNanoseconds with exactly 3 decimals.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is invalid (<see cref="TraceSpec.Validate"/>).</exception>
    public static TraceGenResult Write(TraceSpec spec, Stream output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        spec.Validate();
        return new TraceEmitter(spec, output).Run();
    }

    /// <summary>
    /// Writes the trace to <paramref name="path"/> (created or overwritten); with <paramref name="gzip"/> through a
    /// <see cref="GZipStream"/> at <see cref="CompressionLevel.Fastest"/> (name the file <c>.json.gz</c>).
    /// <see cref="TraceGenResult.JsonBytes"/> is the uncompressed size. With <paramref name="writeTruth"/> also writes
    /// the ground truth to <see cref="TraceTruth.PathFor"/>(<paramref name="path"/>) (format: <see cref="TraceTruth.WriteTsv(TextWriter)"/>).
    /// </summary>
    public static TraceGenResult WriteFile(TraceSpec spec, string path, bool gzip, bool writeTruth = false)
    {
        TraceGenResult result;
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            if (!gzip) result = Write(spec, file);
            else
            {
                using var gz = new GZipStream(file, CompressionLevel.Fastest);
                result = Write(spec, gz);
            }
        }
        if (writeTruth) result.Truth.WriteTsv(TraceTruth.PathFor(path));
        return result;
    }

    /// <summary>
    /// Writes one file per rank 0 … <see cref="TraceSpec.WorldSize"/> − 1 into <paramref name="directory"/> (created if
    /// missing), named <c>rank-{r}.pt.trace.json</c> (<c>.json.gz</c> with <paramref name="gzip"/>). Each rank uses
    /// <paramref name="spec"/> with <c>Rank = r</c> (so its own jitter) and, when <paramref name="rankLayerTimeScale"/>
    /// has an entry for r, that <see cref="TraceSpec.LayerTimeScale"/> (e.g. <c>{ [2] = 1.2 }</c>: rank 2's layers 20 % slower).
    /// </summary>
    /// <returns>The results in rank order.</returns>
    public static IReadOnlyList<TraceGenResult> WriteRankFiles(TraceSpec spec, string directory, bool gzip,
        IReadOnlyDictionary<int, double>? rankLayerTimeScale = null, bool writeTruth = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Directory.CreateDirectory(directory);
        var results = new List<TraceGenResult>(spec.WorldSize);
        for (int r = 0; r < spec.WorldSize; r++)
        {
            var rankSpec = spec with
            {
                Rank = r,
                LayerTimeScale = rankLayerTimeScale is not null && rankLayerTimeScale.TryGetValue(r, out var s) ? s : spec.LayerTimeScale,
                TraceName = $"rank-{r}.pt.trace.json",
            };
            results.Add(WriteFile(rankSpec, Path.Combine(directory, $"rank-{r}.pt.trace.json" + (gzip ? ".gz" : "")), gzip, writeTruth));
        }
        return results;
    }

    /// <summary>
    /// Number of kernels in each pass of <paramref name="spec"/> = prologue + Σ layer kernels + epilogue
    /// [+ MTP head (4) + MTP layer + epilogue]. Per-layer counts are listed on <see cref="KernelCatalog"/>.
    /// </summary>
    public static int KernelsPerPass(TraceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return PassPlan.Build(spec).Count;
    }

    /// <summary>
    /// Offset inside a whole pass of <paramref name="spec"/> of the first kernel of <paramref name="layer"/> (this
    /// rank's numbering; its input norm's first kernel); <paramref name="layer"/> = N gives the epilogue's first kernel.
    /// Use it for <see cref="TraceSpec.TrimFirstPassKernels"/> / <see cref="TraceSpec.KeepLastPassKernels"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not in 0 … N.</exception>
    public static int LayerStartOffset(TraceSpec spec, int layer)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return PassPlan.LayerStartOffset(PassPlan.Build(spec), layer);
    }
}
