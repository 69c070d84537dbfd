using LlmPipeline.Analysis.Efficiency;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>Grouped / MoE GEMM work from op shapes (issue 20), against hand-computed values.</summary>
public sealed class GroupedGemmWorkTests
{
    // vLLM fused_experts: hidden [T=3, K=64] bf16, w13 [E=8, 256, 64], w2 [8, 64, 128], topk_weights [3, 2] float,
    // topk_ids [3, 2] int. FLOPs = 2*3*2*(256*64 + 64*128) = 12*24576 = 294,912.
    // Weights 8*(16384+8192)*2 B = 393,216, of which min(8, 3*2) = 6 experts are read: 294,912 B; hidden in 3*64*2 = 384,
    // out [3, 64] bf16 384: 295,680 B. Two fused_moe_kernel launches (w13, w2) share it: 147,456 FLOPs, 147,840 B each.
    private const string VllmDims = "[[3,64],[8,256,64],[8,64,128],[3,2],[3,2],[]]";
    private const string VllmTypes = """["c10::BFloat16","c10::BFloat16","c10::BFloat16","float","int","Scalar"]""";

    [Fact]
    public void Vllm_fused_experts_splits_its_two_expert_gemms_over_the_fused_moe_kernel_launches()
    {
        var w = OpWork.Of("vllm::outplace_fused_experts", VllmDims, VllmTypes, "fused_moe_kernel");
        Assert.NotNull(w);
        Assert.Equal("gemm", w.OpClass);
        Assert.Equal(147_456, w.Flops);
        Assert.Equal(147_840, w.Bytes);
        Assert.Equal("bf16", w.ComputeDtype);
        Assert.Contains("top_k=2", w.Formula, StringComparison.Ordinal);
        Assert.Contains("experts_read=6", w.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernels_named_for_their_expert_gemm_carry_that_gemm_and_its_side_of_the_bytes()
    {
        // Same op, kernels whose names say the stage (aiter ck_moe_stage1 / ck_moe_stage2): stage 1 runs w13 [8, 256, 64],
        // 2*3*2*256*64 = 196,608 FLOPs, bytes hidden 384 + 6/8 of w13's 262,144 B = 196,608: 196,992; stage 2 runs
        // w2 [8, 64, 128], 2*3*2*64*128 = 98,304 FLOPs, bytes 6/8 of w2's 131,072 B = 98,304 + out 384: 98,688. They add
        // up to the op's 294,912 FLOPs and 295,680 B.
        var first = OpWork.Of("vllm::outplace_fused_experts", VllmDims, VllmTypes, "ck_moe_stage1_gemm<bf16>");
        var second = OpWork.Of("vllm::outplace_fused_experts", VllmDims, VllmTypes, "ck_moe_stage2_gemm<bf16>");
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal((196_608L, 196_992L), (first.Flops, first.Bytes!.Value));
        Assert.Equal((98_304L, 98_688L), (second.Flops, second.Bytes!.Value));
        Assert.Contains("expert GEMM 1 of 2", first.Formula, StringComparison.Ordinal);
        // A fused swiglu epilogue marks the first GEMM (triton_kernels matmul_ogs), down / w2 the second.
        Assert.Equal(196_608, OpWork.Of("vllm::outplace_fused_experts", VllmDims, VllmTypes, "_matmul_ogs_NNT_bf16xbf16xbf16_swiglu")!.Flops);
        Assert.Equal(98_304, OpWork.Of("vllm::outplace_fused_experts", VllmDims, VllmTypes, "grouped_gemm_down_proj")!.Flops);
    }

    [Fact]
    public void Aiter_one_stage_fmoe_kernel_carries_the_whole_op()
    {
        var w = OpWork.Of("aiter::fmoe", VllmDims, VllmTypes, "fmoe_bf16_g1u1_32x128");
        Assert.NotNull(w);
        Assert.Equal(294_912, w.Flops);
        Assert.Equal(295_680, w.Bytes);
    }

    [Fact]
    public void One_token_reads_only_its_top_k_experts()
    {
        // T=1, top_k=2 of E=8: weights read 393,216 * 2/8 = 98,304 B; in 128 + out 128: 98,560 B; FLOPs 2*1*2*24576 = 98,304.
        var w = OpWork.Of("sgl_kernel::fused_moe", "[[1,64],[8,256,64],[8,64,128],[1,2],[1,2]]",
            """["c10::BFloat16","c10::BFloat16","c10::BFloat16","float","int"]""", "fmoe_kernel");
        Assert.NotNull(w);
        Assert.Equal(98_304, w.Flops);
        Assert.Equal(98_560, w.Bytes);
    }

    [Fact]
    public void DeepGemm_contiguous_grouped_gemm_counts_its_rows_once_and_skips_fp32_scales()
    {
        // lhs [256, 128] fp8, lhs_scale [256, 1] float, rhs [4, 512, 128] fp8, rhs_scale [4, 4, 1] float,
        // out [256, 512] bf16, m_indices [256] int: FLOPs 2*256*1*(512*128) = 33,554,432.
        // Bytes: lhs 32,768 + out 256*512*2 = 262,144 + experts min(4, 256) = 4 of 4: 262,144 = 557,056.
        var w = OpWork.Of("deep_gemm::m_grouped_gemm_fp8_fp8_bf16_nt_contiguous",
            "[[256,128],[256,1],[4,512,128],[4,4,1],[256,512],[256]]",
            """["c10::Float8_e4m3fn","float","c10::Float8_e4m3fn","float","c10::BFloat16","int"]""", "sm90_fp8_gemm_1d2d_impl");
        Assert.NotNull(w);
        Assert.Equal(33_554_432, w.Flops);
        Assert.Equal(557_056, w.Bytes);
        Assert.Equal("fp8", w.ComputeDtype);
    }

    [Theory]
    [InlineData("vllm::outplace_fused_experts", VllmDims, VllmTypes, "moe_align_block_size_kernel")]     // routing helper kernel
    [InlineData("vllm::outplace_fused_experts", VllmDims, VllmTypes, "act_and_mul_kernel")]              // activation kernel
    [InlineData("vllm::outplace_fused_experts", "[[3,64],[8,256,64],[8,64,128],[3,2]]",
        """["c10::BFloat16","c10::BFloat16","c10::BFloat16","float"]""", "fused_moe_kernel")]            // no top-k ids
    [InlineData("deep_gemm::m_grouped_gemm_fp8_fp8_bf16_nt_masked", "[[4,64,128],[4,64,1],[4,512,128],[4,4,1],[4,64,512],[4]]",
        """["c10::Float8_e4m3fn","float","c10::Float8_e4m3fn","float","c10::BFloat16","int"]""", "sm90_fp8_gemm")] // masked: tokens in values
    [InlineData("vllm::moe_forward", "[[888,3072],[888,128],[]]", """["c10::BFloat16","c10::BFloat16",""]""", "matmul_ogs_kernel")] // the TraceLens b200 gpt-oss trace: router logits only, no weights
    public void Unknown_shapes_or_helper_kernels_get_no_work(string op, string dims, string types, string kernel) =>
        Assert.Null(OpWork.Of(op, dims, types, kernel));

    [Fact]
    public void Routing_ops_are_not_grouped_gemms()
    {
        Assert.False(OpWork.IsGroupedGemm("_moe_C::moe_align_block_size"));
        Assert.False(OpWork.IsGroupedGemm("_moe_C::topk_softmax"));
        Assert.True(OpWork.IsGroupedGemm("vllm::moe_forward"));
        Assert.True(OpWork.IsGroupedGemm("sgl_kernel::grouped_gemm"));
    }
}
