using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Analysis.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace LlmPipeline.Analysis.Tests;

public sealed class AllTracesSmokeTests(ITestOutputHelper output)
{
    [SkippableFact]
    [Trait("Category", "Corpus")]
    public void Segment_never_throws_on_any_shared_trace_and_keeps_arrays_parallel()
    {
        Skip.IfNot(SharedData.Available, $"skipped: {Path.Combine(SharedData.SharedDir, "traces")} not found (the ../shared folder beside the repository is absent)");
        var root = Path.Combine(SharedData.SharedDir, "traces");
        var files = Directory.EnumerateFiles(root, "*.json*", SearchOption.AllDirectories).Order().ToList();
        Assert.NotEmpty(files);
        var profile = ProfileCatalog.Get("generic");
        foreach (var f in files)
        {
            var k = KernelListLoader.Load(f);
            var r = Segmenter.Segment(k, profile, new KernelCategorizer(profile), new SegmentationOptions(), null);
            Assert.Equal(k.Count, r.Role.Length);
            Assert.Equal(k.Count, r.PassIdx.Length);
            Assert.All(r.Layers, l => Assert.InRange(l.LayerIdx, 0, Math.Max(0, r.NumLayers - 1)));
            output.WriteLine($"{Path.GetRelativePath(root, f)}: {k.Count} kernels, {r.Passes.Count} passes x {r.NumLayers} layers; anchor {NamesOf(r.Anchor.Pattern)}; {string.Join(" | ", r.Warnings.Select(w => w.Kind))}");
        }
    }

    private static string NamesOf(string? p) => p is null ? "-" : LlmPipeline.Analysis.Names.NameSimplifier.Simplify(p);
}
