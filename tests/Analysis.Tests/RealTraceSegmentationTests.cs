using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Analysis.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace LlmPipeline.Analysis.Tests;

[Trait("Category", "Slow")]
public sealed class RealTraceSegmentationTests(ITestOutputHelper output)
{
    private SegmentationResult Run(string trace, string? configPath, int? numLayers, out KernelSequence kernels, out string profileName)
    {
        kernels = KernelListLoader.Load(SharedData.RequireTrace(trace));
        var config = configPath is null ? null : ModelConfigReader.Read(SharedData.RequireConfig(configPath));
        profileName = ProfileInference.Infer(config).ProfileName;
        var profile = ProfileCatalog.Get(profileName);
        var result = Segmenter.Segment(kernels, profile, new KernelCategorizer(profile), new SegmentationOptions(NumLayers: numLayers), config);
        output.WriteLine($"anchor: {result.Anchor.Pattern} | {result.Anchor.Reason}");
        output.WriteLine($"layers: {result.NumLayers} ({result.NumLayersSource})");
        foreach (var p in result.Passes)
            output.WriteLine($"pass {p.PassIdx}: layers {p.LayerCount} kernels {p.Totals.KernelCount} wall {p.Totals.WallUs:0.0}us partial {p.IsPartial} note {p.Note}");
        foreach (var w in result.Warnings) output.WriteLine($"warning {w.Kind}: {w.Detail}");
        return result;
    }

    [SkippableFact]
    public void Segment_finds_one_pass_of_36_layers_on_sglang_qwen3_decode()
    {
        var r = Run("tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz", "aiconfigurator/Qwen--Qwen3-8B_config.json", null, out var k, out var profile);
        Assert.Equal(555, k.Count);
        Assert.Equal("generic", profile);
        Assert.Equal(36, r.NumLayers);
        var pass = Assert.Single(r.Passes);
        Assert.False(pass.IsPartial);
        Assert.Equal(36, pass.LayerCount);
        Assert.Equal(Enumerable.Range(0, 36), r.Layers.Select(l => l.LayerIdx));
    }

    [SkippableFact]
    public void Segment_finds_one_pass_of_36_layers_on_b200_gpt_oss_120b()
    {
        var r = Run("tracelens/b200/eager_trace.json.gz", "tenstorrent_tt-metal/models/demos/gpt_oss/configs/gpt-oss-120b/config.json", null, out _, out _);
        Assert.Equal(36, r.NumLayers);
        var pass = Assert.Single(r.Passes);
        Assert.Equal(36, pass.LayerCount);
        Assert.False(pass.IsPartial);
    }

    [SkippableTheory]
    [InlineData("tracelens/inference/vllm_decode_full/graph_execution.json.gz")]
    [InlineData("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz")]
    public void Segment_finds_one_pass_of_24_layers_on_vllm_gpt_oss_20b(string trace)
    {
        var r = Run(trace, "aiconfigurator/openai--gpt-oss-20b_config.json", null, out _, out _);
        Assert.Equal(24, r.NumLayers);
        var pass = Assert.Single(r.Passes);
        Assert.Equal(24, pass.LayerCount);
        Assert.False(pass.IsPartial);
        // layer_types alternate sliding / full attention
        Assert.Equal("FIRST+SLIDING+MOE", r.Layers[0].LayerType);
        Assert.Equal("MIDDLE+FULL+MOE", r.Layers[1].LayerType);
    }

    [SkippableTheory]
    [InlineData("tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz")]
    [InlineData("tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz")]
    public void Segment_finds_partial_then_complete_pass_on_hf_qwen15(string trace)
    {
        var r = Run(trace, null, 24, out _, out _);
        Assert.Equal(2, r.Passes.Count);
        Assert.True(r.Passes[0].IsPartial);
        // The window starts inside layer 13 (MANIFEST: 10 attention kernels, 11 MLP kernels before the boundary).
        var partialLayers = r.Passes[0].LayerCount;
        Assert.InRange(partialLayers, 10, 11);
        Assert.Equal(Enumerable.Range(24 - partialLayers, partialLayers), r.Layers.Where(l => l.PassIdx == 0).Select(l => l.LayerIdx));
        Assert.False(r.Passes[1].IsPartial);
        Assert.Equal(24, r.Passes[1].LayerCount);
        Assert.Null(r.Passes[1].Note); // the only complete pass: nothing later to be a cold start against
    }

    [SkippableTheory]
    [InlineData("tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", 10, 11)]
    [InlineData("tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", 11, 11)]
    public void Segment_detects_24_layers_on_hf_qwen15_without_layer_count_from_its_one_step_boundary(string trace, int partialAnchors, int partialLayers)
    {
        // MANIFEST: the window holds the tail of one forward and one whole 24-layer forward, with one lm_head/sampling/
        // embedding gap between them; each step kernel occurs once, so only the long interval marks the boundary.
        // The window opens inside layer 13 (after its attention on H100, whose flash-attention anchor then has 10
        // occurrences in the partial pass; before it on MI300X): layers 13..23 are in the partial pass either way.
        var r = Run(trace, null, null, out _, out _);
        Assert.Equal(24, r.NumLayers);
        Assert.StartsWith($"detected: the {24 + partialAnchors} anchors form 2 regular runs ({partialAnchors}, 24 anchors)", r.NumLayersSource);
        Assert.Equal([true, false], r.Passes.Select(p => p.IsPartial));
        Assert.Equal([partialLayers, 24], r.Passes.Select(p => p.LayerCount));
    }

    [SkippableFact]
    public void Segment_detects_32_layers_and_6_passes_on_rtp_llm_without_layer_count()
    {
        var r = Run("llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz", null, null, out _, out _);
        Assert.Equal(32, r.NumLayers);
        Assert.StartsWith("detected", r.NumLayersSource);
        Assert.Equal(6, r.Passes.Count);
        Assert.All(r.Passes, p => Assert.Equal(32, p.LayerCount));
        Assert.All(r.Passes, p => Assert.False(p.IsPartial));
    }
}
