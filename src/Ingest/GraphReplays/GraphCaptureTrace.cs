using LlmPipeline.Ingest.Segmenting;
namespace LlmPipeline.Ingest.GraphReplays;

/// <summary>
/// One companion capture trace (as in AMD-AGI/TraceLens tests/traces/inference/*/capture_traces/): the trace a serving engine writes while it captures a
/// CUDA/HIP graph (vLLM <c>capture_traces/graph_capture_rank_0.*.pt.trace.json.gz</c>, SGLang per-batch-size files such
/// as <c>bs_32_rank0.json.gz</c>). Captured kernels do not run, so the trace holds their launch records, not kernel
/// events; <see cref="Kernels"/> is the captured kernel sequence in launch order, each with what the replay's kernels
/// lack: the launching cpu_op, its input shapes and types, and the module scopes around the launch.
/// </summary>
/// <param name="Path">The file read.</param>
/// <param name="Kernels">The captured kernels: one per launch record in launch order (CPU start time, ties in file
/// order); for a capture without launch records, its kernel events in GPU start order.</param>
/// <param name="NameSource">Where the names come from, in words: <c>launch records (args.kernel)</c>, <c>kernel events
/// joined by correlation</c>, <c>launch order only (no kernel names)</c>, <c>kernel events</c>, or a mix.</param>
/// <param name="BatchSize">The batch size (or padded token count) the graph was captured for: <c>bs_&lt;N&gt;</c> in
/// the file name, else <c>execution_details.json</c> beside it, else a <c>capture_&lt;N&gt;_&lt;MODE&gt;</c> annotation; null
/// when none says.</param>
/// <param name="LayerModuleClass">The decoder-layer module class of the capture's module scopes
/// (<see cref="ModuleScopes.DecoderLayerClass"/>), null when it has none.</param>
public sealed record GraphCaptureTrace(string Path, IReadOnlyList<GraphCaptureTrace.Kernel> Kernels, string NameSource, int? BatchSize,
    string? LayerModuleClass)
{
    /// <summary>One captured kernel.</summary>
    /// <param name="Name">Kernel name: the launch record's <c>args.kernel</c>, else the kernel event with the launch's
    /// correlation id; null when neither names it (a CUDA capture without kernel events).</param>
    /// <param name="Grid">args.grid as compact JSON text (the text the replay's kernels.grid holds), null when absent.</param>
    /// <param name="Block">args.block as compact JSON text, null when absent.</param>
    /// <param name="Stream">The stream of the kernel event joined by correlation, null when there is none (launch records carry no stream).</param>
    /// <param name="OpName">Name of the launching cpu_op (the launch's External id, else the kernel event's), null when none.</param>
    /// <param name="InputDims">That cpu_op's <c>Input Dims</c> as compact JSON (a list of lists), null when absent.</param>
    /// <param name="InputTypes">That cpu_op's <c>Input type</c> as compact JSON (a list), null when absent.</param>
    /// <param name="Module">The innermost scope around the launch: an <c>nn.Module: X_n</c> scope (<c>X_n</c>) or a
    /// <c>## Call CompiledFxGraph … ##</c> annotation (vLLM's torch.compile pieces); null when none.</param>
    /// <param name="LayerModule">The enclosing scope of the decoder-layer class (<c>Qwen3DecoderLayer_5</c>), null when none.</param>
    public sealed record Kernel(string? Name, string? Grid, string? Block, long? Stream, string? OpName, string? InputDims,
        string? InputTypes, string? Module, string? LayerModule);

    /// <summary>The file name without its folder.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);
}
