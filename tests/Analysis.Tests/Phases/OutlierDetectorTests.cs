using LlmPipeline.Analysis.Phases;
using LlmPipeline.Analysis.Segmentation;
using Xunit;

namespace LlmPipeline.Analysis.Tests.Phases;

public sealed class OutlierDetectorTests
{
    [Fact]
    public void Judge_flags_leading_slow_passes_as_ramp_up_and_far_passes_as_outliers()
    {
        double[] wall = [3000, 2000, 1600, 1000, 1010, 990, 1000, 2500, 1005, 600];
        var v = OutlierDetector.Judge(wall, Enumerable.Repeat<string?>("decode", 10).ToArray(), new bool[10]);
        Assert.Equal([true, true, true, false, false, false, false, true, false, true], v.Select(x => x.IsOutlier));
        // median of the 10 walls = (1005 + 1010) / 2 = 1007.5 us
        Assert.Equal("ramp-up: wall 3 ms is 2.98x the median of 10 decode passes (1.008 ms), before the steady window", v[0].Reason);
        Assert.Equal("outlier: wall 2.5 ms is 2.48x the median of 10 decode passes (1.008 ms)", v[7].Reason);
        Assert.Equal("outlier: wall 0.6 ms is 0.6x the median of 10 decode passes (1.008 ms)", v[9].Reason);
    }

    [Fact]
    public void Judge_compares_each_pass_with_its_own_phase_and_skips_partial_and_small_groups()
    {
        double[] wall = [50000, 1000, 1000, 1000, 900, 48000];
        string?[] phase = ["prefill", "decode", "decode", "decode", "decode", "prefill"];
        bool[] partial = [false, false, false, false, true, false];
        var v = OutlierDetector.Judge(wall, phase, partial);
        Assert.All(v, x => Assert.False(x.IsOutlier));
    }

    [Fact]
    public void ChooseInPhase_picks_the_steady_pass_of_the_most_common_phase()
    {
        // passes: 0 prefill, 1..5 decode (1 is a ramp-up outlier), 6 mixed
        string?[] phases = ["prefill", "decode", "decode", "decode", "decode", "decode", "mixed"];
        var passes = phases.Select((p, i) => new PassSummary(i, new KernelTotals(0, 0, 1000, 0, 0, 0, 0, 10), 2, false, null, p)).ToList();
        double?[] layer0 = [900, 300, 100, 100, 101, 100, 400];
        bool[] outlier = [false, true, false, false, false, false, false];
        var (chosen, reason) = DefaultPass.ChooseInPhase(passes, layer0, outlier, null);
        Assert.Equal(2, chosen);
        Assert.StartsWith("among the 5 decode pass(es) (the most common phase), 1 outlier pass(es) left out: pass 2 is the first complete pass", reason);
        Assert.Equal(0, DefaultPass.ChooseInPhase(passes, layer0, outlier, "prefill").PassIdx);
        Assert.Equal(6, DefaultPass.ChooseInPhase(passes, layer0, outlier, "mixed").PassIdx);
        Assert.Equal((-1, "no pass has phase mixed"), DefaultPass.ChooseInPhase(passes.Take(6).ToList(), layer0, outlier, "mixed"));
    }
}
