using System.Diagnostics;
using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

[Trait("Category", "Slow")]
public sealed class SegmenterScaleTests
{
    [Fact]
    public void Segment_handles_two_million_kernels_with_auto_detection()
    {
        // 400 passes x 250 layers x 20 kernels per layer (20 distinct names), 1 ms idle between passes: 2,000,400 kernels.
        string[] names = Enumerable.Range(0, 20).Select(i => i == 0 ? "rms_norm_kernel" : i == 7 ? "flash_fwd_kernel" : $"gemm_{i}").Append("embedding_kernel").ToArray();
        const int passes = 400, layers = 250, perLayer = 20;
        var n = passes * (layers * perLayer + 1);
        var start = new long[n];
        var dur = new long[n];
        var id = new int[n];
        long t = 0;
        var i = 0;
        for (var p = 0; p < passes; p++)
        {
            t += 1_000_000;
            start[i] = t; dur[i] = 1000; id[i] = 20; i++; t += 1000;
            for (var l = 0; l < layers; l++)
                for (var k = 0; k < perLayer; k++)
                {
                    start[i] = t; dur[i] = 1000; id[i] = k; i++; t += 1000;
                }
        }
        var seq = new KernelSequence(start, dur, id, names);
        var profile = ProfileCatalog.Get("generic");
        var sw = Stopwatch.StartNew();
        var r = Segmenter.Segment(seq, profile, new KernelCategorizer(profile), new SegmentationOptions(), null);
        sw.Stop();
        Assert.Equal(layers, r.NumLayers);
        Assert.Equal(passes, r.Passes.Count);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
    }
}
