namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// Totals of the kernels of one span of a device's kernel sequence: a forward pass (<see cref="PassSummary"/>) or one
/// of its layers (<see cref="LayerSummary"/>), the columns <c>passes</c> and <c>layers</c> share. Durations are
/// microseconds exact to the nanosecond (ns / 1000.0).
/// </summary>
/// <param name="StartNs">Start of the span's first kernel, ns on the trace clock.</param>
/// <param name="EndNs">Latest end of its kernels, ns.</param>
/// <param name="WallUs"><paramref name="EndNs"/> - <paramref name="StartNs"/>, µs.</param>
/// <param name="SumUs">Sum of the kernels' durations, µs (overlapping kernels count each).</param>
/// <param name="BusyUs">Length of the union of the kernels' intervals, µs.</param>
/// <param name="IdleUs"><paramref name="WallUs"/> - <paramref name="BusyUs"/>, µs.</param>
/// <param name="ExposedCommUs">Time in communication kernels that no other kernel of the span overlaps, µs.</param>
/// <param name="KernelCount">Kernels in the span.</param>
public sealed record KernelTotals(
    long StartNs,
    long EndNs,
    double WallUs,
    double SumUs,
    double BusyUs,
    double IdleUs,
    double ExposedCommUs,
    int KernelCount)
{
    /// <summary>The totals of a computed range: ns converted to µs, idle = wall - busy.</summary>
    internal static KernelTotals From(RangeTotals t) =>
        new(t.StartNs, t.EndNs, Us(t.WallNs), Us(t.SumNs), Us(t.BusyNs), Us(t.WallNs - t.BusyNs), Us(t.ExposedCommNs), t.Count);

    private static double Us(long ns) => ns / 1000.0;
}
