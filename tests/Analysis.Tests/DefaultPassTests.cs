using LlmPipeline.Analysis.Segmentation;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

public sealed class DefaultPassTests
{
    private static readonly KernelTotals Zero = new(0, 0, 0, 0, 0, 0, 0, 0);

    private static PassSummary P(int i, bool partial = false) => new(i, Zero, 0, partial, null, null);

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

/// <summary>Idle padding steps (SGLang <c>step[idle]</c>, sgl-project/sglang#23419) in the default-pass choice.</summary>
public sealed class DefaultPassIdleTests
{
    private static PassSummary P(int i, string? phase) => new(i, new KernelTotals(0, 0, 0, 0, 0, 0, 0, 0), 0, false, null, phase);

    [Fact]
    public void The_most_common_phase_ignores_idle_steps_even_when_they_are_the_majority()
    {
        string[] phases = ["idle", "decode", "idle", "decode", "idle", "decode", "idle", "idle"];
        var passes = phases.Select((p, i) => P(i, p)).ToArray();
        var walls = phases.Select(_ => (double?)100.0).ToArray();
        var (idx, reason) = DefaultPass.ChooseInPhase(passes, walls, phases.Select(_ => false).ToArray(), null);
        Assert.Equal(1, idx);
        Assert.StartsWith("among the 3 decode pass(es) (the most common phase): pass 1 is the first complete pass", reason);
    }

    [Fact]
    public void Choose_skips_idle_steps_and_falls_back_to_them_only_when_every_pass_is_one()
    {
        Assert.Equal(1, DefaultPass.Choose([P(0, "decode"), P(1, "decode"), P(2, "idle")]).PassIdx);
        Assert.Equal(1, DefaultPass.Choose([P(0, "idle"), P(1, "idle")]).PassIdx);
        Assert.Equal(1, DefaultPass.ChooseInPhase([P(0, "idle"), P(1, "idle")], [1.0, 1.0], [false, false], null).PassIdx);
        Assert.Equal(2, DefaultPass.ChooseInPhase([P(0, "decode"), P(1, "decode"), P(2, "idle")], [1.0, 1.0, 1.0], [false, false, false], "idle").PassIdx);
    }
}
