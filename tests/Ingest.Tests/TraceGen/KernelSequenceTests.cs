using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Ingest.Tests.TraceGen;

/// <summary>Kernel counts and anchor counts per pass, computed by hand from the sequences listed on <see cref="KernelCatalog"/>.</summary>
public class KernelSequenceTests
{
    [Fact]
    public void Write_generic_kernel_count_is_passes_times_layers_plus_prologue_and_epilogue()
    {
        // WorldSize 1: layer 10, prologue 1 (embedding), epilogue 3 (norm, lm_head, argmax) → 2×10 + 4 = 24 per pass.
        var spec = new TraceSpec { Shape = TraceShape.Generic, NumLayers = 2, Passes = 3, WorldSize = 1 };
        var t = ParsedTrace.Generate(spec);
        Assert.Equal(24, TraceWriter.KernelsPerPass(spec));
        Assert.Equal(72, t.Kernels.Count);
        Assert.Equal(72, t.Result.KernelCount);
        Assert.Equal(0, t.Count("AllReduce"));
    }

    [Fact]
    public void Write_deepseek_v3_small_spec_has_dense_then_moe_layers()
    {
        // TP 8: dense layer 24, MoE layer 32, prologue 2, epilogue 4 → 3×24 + 2×32 + 6 = 142 per pass.
        var spec = new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, NumLayers = 5, Passes = 2 };
        var t = ParsedTrace.Generate(spec);
        Assert.Equal(284, t.Kernels.Count);
        Assert.Equal(2 * 5, t.Count("flash_fwd_mla_combine"));
        Assert.Equal(2 * 2 * 2, t.Count("fused_moe_kernel"));
        // AllReduce: 2 per layer + 1 after the embedding.
        Assert.Equal(2 * (2 * 5 + 1), t.Count("AllReduce"));
        Assert.Equal(2, t.Count("ncclDevKernel_AllGather"));
    }

    [Fact]
    public void Write_deepseek_v3_default_has_61_anchors_per_pass()
    {
        var spec = new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 2 };
        var t = ParsedTrace.Generate(spec);
        Assert.Equal(1934, TraceWriter.KernelsPerPass(spec)); // 3×24 + 58×32 + 2 + 4
        Assert.Equal(2 * 1934, t.Kernels.Count);
        Assert.Equal(2 * 61, t.Count("flash_fwd_mla_combine"));
        Assert.Equal(2 * 61, t.Count("flash_fwd_splitkv_mla"));
        Assert.Equal(2 * 58 * 2, t.Count("fused_moe_kernel"));
        Assert.Equal(0, t.Count("mhc_post_tilelang"));
    }

    [Fact]
    public void Write_deepseek_v4_default_has_86_anchors_per_pass()
    {
        // 43 layers × 35 + 21 ratio-4 layers × 6 + 20 ratio-128 layers × 2 + prologue 2 + epilogue 4 = 1677.
        var spec = new TraceSpec { Shape = TraceShape.DeepSeekV4Decode, Passes = 2 };
        var t = ParsedTrace.Generate(spec);
        Assert.Equal(1677, TraceWriter.KernelsPerPass(spec));
        Assert.Equal(2 * 1677, t.Kernels.Count);
        Assert.Equal(2 * 86, t.Count("mhc_post_tilelang"));
        Assert.Equal(2 * 21, t.Count("paged_mqa_logits<"));
        Assert.Equal(2 * 41, t.Count("hadamard"));
    }

    [Fact]
    public void Write_deepseek_v4_each_anchor_closes_attention_then_ffn_half()
    {
        var t = ParsedTrace.Generate(new TraceSpec { Shape = TraceShape.DeepSeekV4Decode, NumLayers = 6, Passes = 1 });
        var ks = t.Kernels.OrderBy(k => k.TsNs).ToList();
        var anchors = ks.Select((k, i) => (k, i)).Where(x => x.k.Name.Contains("mhc_post_tilelang")).Select(x => x.i).ToList();
        Assert.Equal(12, anchors.Count);
        int start = 0;
        for (int h = 0; h < anchors.Count; h++)
        {
            var half = ks.Skip(start).Take(anchors[h] - start + 1).ToList();
            bool attn = h % 2 == 0;
            Assert.Equal(attn, half.Any(k => k.Name.Contains("flash_fwd_splitkv_mla")));
            Assert.Equal(!attn, half.Any(k => k.Name.Contains("fused_moe_kernel")));
            start = anchors[h] + 1;
        }
    }

    [Fact]
    public void Write_mtp_layer_adds_one_anchor_block_per_pass()
    {
        var spec = new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 2, MtpLayers = 1 };
        var t = ParsedTrace.Generate(spec);
        Assert.Equal(1934 + 4 + 32 + 4, TraceWriter.KernelsPerPass(spec));
        Assert.Equal(2 * 62, t.Count("flash_fwd_mla_combine"));
        Assert.Equal(2 * 2, t.Count("ArgMaxOps"));
    }

    [Fact]
    public void Write_custom_allreduce_replaces_nccl_kernel()
    {
        var t = ParsedTrace.Generate(new TraceSpec { Shape = TraceShape.Generic, Passes = 1, CustomAllReduce = true });
        Assert.Equal(0, t.Count("AllReduce"));
        Assert.Equal(4 * 2 + 1, t.Count("cross_device_reduce_1stage"));
    }

    [Fact]
    public void Write_custom_prologue_and_epilogue_replace_defaults()
    {
        var spec = new TraceSpec
        {
            Shape = TraceShape.Generic, NumLayers = 1, Passes = 2, WorldSize = 1,
            PrologueKernels = [new KernelTemplate("my_embedding_kernel", 3.0)],
            EpilogueKernels = [new KernelTemplate("my_lm_head", 20.0), new KernelTemplate("my_sampler", 5.0)],
        };
        var t = ParsedTrace.Generate(spec);
        Assert.Equal(2 * (1 + 10 + 2), t.Kernels.Count);
        Assert.Equal("my_embedding_kernel", t.Kernels[0].Name);
        Assert.Equal("my_sampler", t.Kernels[^1].Name);
    }
}
