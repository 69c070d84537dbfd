namespace LlmPipeline.TraceGen;

/// <summary>
/// What <see cref="TraceWriter"/> wrote: the facts tests and the benchmark check. All times are <b>file ns</b>:
/// the file's relative <c>ts</c> (µs with 3 decimals) × 1000, exact integers (add <see cref="TraceSpec.BaseTimeNanoseconds"/>
/// for absolute ns).
/// </summary>
/// <param name="KernelCount">Number of <c>cat: "kernel"</c> events.</param>
/// <param name="EventCount">Number of entries of <c>traceEvents</c> (all phases: X, s, f, M, i).</param>
/// <param name="JsonBytes">Uncompressed JSON size in bytes (also when gzip was requested).</param>
/// <param name="Passes">Number of forward passes (steps) written.</param>
/// <param name="KernelDurationSumNs">Σ kernel <c>dur</c> in ns.</param>
/// <param name="FirstKernelTsNs">ts of the earliest kernel.</param>
/// <param name="LastKernelTsNs">ts of the latest-starting kernel.</param>
/// <param name="LastKernelEndNs">Latest kernel end (ts + dur).</param>
/// <param name="PassStartNs">Per pass: start of its first kernel (prologue included).</param>
/// <param name="PassEndNs">Per pass: latest kernel end (epilogue and MTP block included).</param>
public sealed record TraceGenResult(
    long KernelCount,
    long EventCount,
    long JsonBytes,
    int Passes,
    long KernelDurationSumNs,
    long FirstKernelTsNs,
    long LastKernelTsNs,
    long LastKernelEndNs,
    IReadOnlyList<long> PassStartNs,
    IReadOnlyList<long> PassEndNs)
{
    /// <summary>
    /// Every kernel's true (pass, layer | role), in kernel_idx order (ts ascending, file order for ties; the generator
    /// writes kernels in that order). Computed on demand; <see cref="TraceTruth.WriteTsv(string)"/> writes it.
    /// </summary>
    public required TraceTruth Truth { get; init; }
}
