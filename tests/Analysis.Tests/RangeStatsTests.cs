using LlmPipeline.Analysis.Segmentation;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>
/// <see cref="RangeStats.Compute"/> on five hand-placed kernels: wall, Σ duration, busy (the union of the kernels'
/// intervals) and exposed comm time (comm kernel time that no other kernel overlaps).
/// </summary>
public sealed class RangeStatsTests
{
    // name 0 = comm, name 1 = compute. Intervals in ns:
    // k0 comm [0,100)  k1 [50,80)  k2 [90,150)  k3 comm [200,260)  k4 [250,300)
    private static readonly KernelSequence K = new([0, 50, 90, 200, 250], [100, 30, 60, 60, 50], [0, 1, 1, 0, 1], ["allreduce", "gemm"]);

    private static bool IsComm(int i) => K.NameId[i] == 0;

    [Fact]
    public void Exposed_comm_is_the_comm_time_no_other_kernel_covers()
    {
        var t = RangeStats.Compute(K, 0, 5, IsComm);
        // busy: [0,150) + [200,300) = 250. exposed: [0,100) less [50,80) and [90,100) = 60; [200,260) less [250,260) = 50.
        Assert.Equal(new RangeTotals(0, 300, 300, 250, 110, 5, 2), t);
        Assert.Equal(300, t.WallNs);
    }

    [Fact]
    public void Only_included_kernels_count_and_the_range_shrinks_to_them()
    {
        // k1 left out: [0,100) less [90,100) = 90; [200,260) less [250,260) = 50.
        Assert.Equal(new RangeTotals(0, 300, 270, 250, 140, 4, 2), RangeStats.Compute(K, 0, 5, IsComm, i => i != 1));
        // k0 left out: the range starts at k1 (50); exposed [200,260) less [250,260) = 50.
        Assert.Equal(new RangeTotals(50, 300, 200, 190, 50, 4, 1), RangeStats.Compute(K, 0, 5, IsComm, i => i != 0));
    }

    [Fact]
    public void A_range_without_comm_has_no_exposed_comm_and_an_empty_range_is_zero()
    {
        // k1, k2: [50,80) + [90,150) = 90 busy.
        Assert.Equal(new RangeTotals(50, 150, 90, 90, 0, 2, 0), RangeStats.Compute(K, 1, 3, IsComm));
        Assert.Equal(default, RangeStats.Compute(K, 2, 2, IsComm));
        Assert.Equal(default, RangeStats.Compute(K, 0, 5, IsComm, _ => false));
    }
}
