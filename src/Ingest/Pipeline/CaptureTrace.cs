namespace LlmPipeline.Ingest.Pipeline;

/// <summary>
/// One companion capture trace (field-problems.md B26): a trace the serving engine wrote while it captured a CUDA
/// graph (vLLM <c>capture_traces/</c>, SGLang per-batch-size files such as <c>bs_8_rank0.json.gz</c>), read into
/// kernel sequences, one per device, in GPU start order, each kernel with the CPU operator that launched it.
/// </summary>
/// <param name="Path">The file read.</param>
/// <param name="Sequences">Kernels per device (args.device, else pid), in start order (ties: file order).</param>
public sealed record CaptureTrace(string Path, IReadOnlyList<IReadOnlyList<CaptureTrace.Kernel>> Sequences)
{
    /// <summary>One kernel of a capture trace.</summary>
    /// <param name="Name">Kernel name as in the trace.</param>
    /// <param name="Grid">args.grid as compact JSON text (the same text the main trace's kernels.grid holds), null when absent.</param>
    /// <param name="Block">args.block as compact JSON text, null when absent.</param>
    /// <param name="OpName">Name of the launching cpu_op (kernel External id, else its launch's External id), null when none.</param>
    /// <param name="InputDims">That cpu_op's <c>Input Dims</c> as compact JSON text, null when absent.</param>
    public sealed record Kernel(string Name, string? Grid, string? Block, string? OpName, string? InputDims);

    /// <summary>Kernels in all sequences.</summary>
    public int KernelCount => Sequences.Sum(s => s.Count);
}
