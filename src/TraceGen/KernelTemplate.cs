namespace LlmPipeline.TraceGen;

/// <summary>
/// One kernel of the synthetic sequence: its exact name and its nominal duration. Every launch of it gets a seeded
/// jitter of ±<see cref="TraceSpec.JitterFraction"/> around <see cref="DurationUs"/> (times the pass / layer scales).
/// </summary>
/// <param name="Name">Kernel name as CUPTI reports it (written JSON-escaped, <c>&lt;</c>/<c>&gt;</c> kept literal).</param>
/// <param name="DurationUs">Nominal duration in microseconds (must be &gt; 0).</param>
public sealed record KernelTemplate(string Name, double DurationUs)
{
    /// <summary>Name of the <c>cpu_op</c> that launches it (only written when <see cref="TraceSpec.IncludeCpuSide"/>).</summary>
    public string CpuOp { get; init; } = "aten::empty";

    /// <summary>The cpu_op's <c>Input Dims</c> as raw JSON (an array of arrays), e.g. <c>[[32, 7168], [7168]]</c>.</summary>
    public string InputDims { get; init; } = "[[32, 7168]]";

    /// <summary><c>grid</c> x dimension of the launch.</summary>
    public int GridX { get; init; } = 132;

    /// <summary><c>block</c> x dimension of the launch.</summary>
    public int BlockX { get; init; } = 128;

    /// <summary><c>registers per thread</c>.</summary>
    public int Registers { get; init; } = 64;

    /// <summary><c>shared memory</c> in bytes.</summary>
    public int SharedMemoryBytes { get; init; }

    /// <summary>
    /// True for collectives (AllReduce, AllGather): with <see cref="TraceSpec.SecondStreamOverlap"/> &gt; 0 they run on
    /// <see cref="TraceSpec.SecondStreamId"/> and overlap the preceding kernel.
    /// </summary>
    public bool IsCollective { get; init; }
}
