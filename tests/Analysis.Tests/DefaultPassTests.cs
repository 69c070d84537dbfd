using LlmPipeline.Analysis.Segmentation;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

public sealed class DefaultPassTests
{
    private static PassSummary P(int i, bool partial = false) => new(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, partial, null, null);

    [Fact]
    public void Notes_mark_cold_start_steady_state_and_growth()
    {
        var notes = DefaultPass.Notes([true, false, false, false, false, false], [null, 100.0, 300.0, 310.0, 200.0, 204.0]);
        Assert.Equal(new string?[] { null, "cold-start", "growing 3.0x", "steady-state", null, "steady-state" }, notes);
    }

    [Fact]
    public void Choose_takes_the_first_pass_followed_by_two_steady_passes()
    {
        var passes = Enumerable.Range(0, 5).Select(i => P(i)).ToArray();
        var (idx, reason) = DefaultPass.Choose(passes, [100.0, 300.0, 302.0, 301.0, 500.0]);
        Assert.Equal(1, idx);
        Assert.Contains("pass 1", reason);
    }

    [Fact]
    public void Choose_falls_back_to_the_last_complete_pass()
    {
        Assert.Equal(1, DefaultPass.Choose([P(0), P(1), P(2, partial: true)], [10.0, 10.0, 10.0]).PassIdx);
        Assert.Equal(-1, DefaultPass.Choose([]).PassIdx);
    }
}
