using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Analysis.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>The truth-comparison helper itself (not segmentation accuracy): a result built from the truth matches it fully; a shifted one reports its mismatches.</summary>
public sealed class TruthComparisonTests
{
    private static SegmentationResult FromTruth(IReadOnlyList<KernelTruth> truth, int shiftLayerStarts)
    {
        int n = truth.Count;
        var pass = truth.Select(t => t.Pass).ToArray();
        var layer = truth.Select(t => t.Layer).ToArray();
        var role = truth.Select(t => (KernelRole)(byte)t.Role).ToArray();
        // Move every layer start after layer 0 later by shiftLayerStarts kernels (the old anchor-style error).
        for (int i = 1; i < n; i++)
        {
            if (truth[i].Role != TruthRole.Layer || truth[i - 1].Role != TruthRole.Layer || truth[i].Layer == truth[i - 1].Layer) continue;
            for (int j = i; j < Math.Min(n, i + shiftLayerStarts); j++) layer[j] = truth[i - 1].Layer;
        }
        return new SegmentationResult
        {
            PassIdx = pass, LayerIdx = layer, Role = role, BlockIdx = new int[n], HalfIdx = new sbyte[n],
            Passes = [], Layers = [], Anchor = new AnchorChoice(null, AnchorRole.Opens, 1, ""), NumLayers = 0, NumLayersSource = "",
            Candidates = [], Warnings = [],
        };
    }

    [Fact]
    public void Result_equal_to_the_truth_matches_fully_and_a_shifted_one_lists_mismatches()
    {
        using var dir = new TempDir();
        var (kernels, truth) = TruthComparison.Generate(new TraceSpec { Shape = TraceShape.DenseAddNorm, NumLayers = 3, Passes = 2, WorldSize = 1 }, dir.Path);
        Assert.Equal(truth.Count, kernels.Count);
        var fromFile = TraceTruth.ReadTsv(TraceTruth.PathFor(Path.Combine(dir.Path, "case.pt.trace.json")));
        var ok = TruthComparison.AssertMatches(fromFile, FromTruth(truth, 0), kernels);
        Assert.Equal(1.0, ok.Share);

        var bad = TruthComparison.Compare(truth, FromTruth(truth, 2), kernels);
        Assert.True(bad.Share < 1.0);
        Assert.Equal(2 * 2 * 2, bad.Total - bad.Correct);     // layers 1 and 2 start 2 kernels late, in both passes
        Assert.Equal(13, bad.FirstMismatches[0].KernelIdx);   // layer 1's input norm, counted in layer 0
        Assert.Equal("pass 0 layer 1", bad.FirstMismatches[0].Expected);
        Assert.Equal("pass 0 layer 0", bad.FirstMismatches[0].Got);
        Assert.Contains("kernel 13", bad.ToString());
    }
}
