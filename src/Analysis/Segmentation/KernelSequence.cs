namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// The GPU kernels of one device of one run, in start order (the input of segmentation).
/// Held column-wise in compact arrays (about 20 bytes per kernel) so that traces with millions of kernels
/// can be segmented without per-kernel objects.
/// </summary>
/// <remarks>
/// Kernels are sorted by <c>ts</c> ascending; equal timestamps keep file order (stable sort), which is the
/// order the llm-pipeline-analysis scripts use (docs/reference-analysis.md, 'Kernel list'). The position in these arrays is
/// <c>kernels.kernel_idx</c>.
/// </remarks>
public sealed class KernelSequence
{
    /// <summary>Creates a sequence over the given arrays; all arrays must have the same length.</summary>
    /// <param name="startNs">Kernel start (<c>ts</c>) in integer nanoseconds, ascending.</param>
    /// <param name="durNs">Kernel duration (<c>dur</c>) in integer nanoseconds, never negative.</param>
    /// <param name="nameId">Index into <paramref name="names"/> of each kernel's full name.</param>
    /// <param name="names">Distinct kernel names, indexed by name id.</param>
    /// <exception cref="ArgumentException">Arrays of different lengths.</exception>
    public KernelSequence(long[] startNs, long[] durNs, int[] nameId, IReadOnlyList<string> names)
    {
        if (startNs.Length != durNs.Length || startNs.Length != nameId.Length)
            throw new ArgumentException("startNs, durNs and nameId must have the same length.");
        StartNs = startNs;
        DurNs = durNs;
        NameId = nameId;
        Names = names;
    }

    /// <summary>
    /// Per kernel: an id of its decoder-layer module instance (<c>kernels.layer_module</c>, e.g.
    /// <c>Qwen3DecoderLayer_5</c>; equal ids = the same layer instance), or -1 when the kernel has none; null when the
    /// trace recorded no module scopes. The strongest layer-boundary evidence (see <see cref="LayerEvidence.ModuleScopes"/>).
    /// </summary>
    public int[]? LayerModule { get; init; }

    /// <summary>
    /// Per kernel: launched by an autograd backward operator (its cpu_op is <c>autograd::engine::evaluate_function: …</c>
    /// or a <c>…Backward…</c> op), or null when the launching operators are unknown. Kernels whose name says backward
    /// (<c>bwd</c>, <c>backward</c>, <c>dgrad</c>, <c>wgrad</c>) are backward kernels either way.
    /// </summary>
    public bool[]? LaunchedByBackward { get; init; }

    /// <summary>Kernel start times in nanoseconds (the trace's <c>ts</c>), ascending.</summary>
    public long[] StartNs { get; }

    /// <summary>Kernel durations in nanoseconds.</summary>
    public long[] DurNs { get; }

    /// <summary>Name id of each kernel (index into <see cref="Names"/>).</summary>
    public int[] NameId { get; }

    /// <summary>Distinct kernel names, indexed by name id.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of kernels.</summary>
    public int Count => StartNs.Length;

    /// <summary>End time (start + duration) of kernel <paramref name="i"/>, in nanoseconds.</summary>
    public long EndNs(int i) => StartNs[i] + DurNs[i];

    /// <summary>Full name of kernel <paramref name="i"/>.</summary>
    public string Name(int i) => Names[NameId[i]];
}
