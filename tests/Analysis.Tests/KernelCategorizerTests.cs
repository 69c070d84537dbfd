using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

public sealed class KernelCategorizerTests
{
    private static CategoryMatch Cat(string profile, string name) => new KernelCategorizer(ProfileCatalog.Get(profile)).Categorize(name);

    [Theory]
    // the llm-pipeline-analysis rules' consequences, with our case-insensitive fixes (docs/reference-analysis.md)
    [InlineData("generic", "void at::native::rms_norm_kernel<c10::BFloat16>(long)", "rmsnorm", "norm")]
    [InlineData("generic", "fused_add_rmsnorm_kernel", "rmsnorm", "norm")]
    [InlineData("generic", "silu_and_mul_kernel", "activation", "activation")]
    [InlineData("generic", "allreduce_kernel", "allreduce", "comm")]
    [InlineData("generic", "all_reduce_fusion", "allreduce", "comm")]
    [InlineData("generic", "void vllm::cross_device_reduce_1stage<__nv_bfloat16, 8>(...)", "allreduce", "comm")]
    [InlineData("dsv4_csa_hca", "void deep_gemm::sm90_fp8_paged_mqa_logits<64>(...)", "paged_mqa", "attention")]
    [InlineData("dsv3_mla", "flash_fwd_mla_combine_kernel", "mla_combine", "attention")]
    [InlineData("dsv4_csa_hca", "flash_fwd_mla_combine_kernel", "mla_combine", "attention")]
    [InlineData("generic", "per_token_group_quant_8bit_deep_gemm", "quant", "quant")]
    [InlineData("generic", "fused_moe_kernel", "moe", "moe")]
    [InlineData("generic", "mhc_post_tilelang_kernel", "other", "other")]
    [InlineData("dsv4_csa_hca", "fused_store_indexer_cache_kernel", "indexer_store", "kv_cache")]
    [InlineData("dsv4_csa_hca", "indexer_k_quant_kernel", "indexer", "sparse")]
    [InlineData("dsv4_csa_hca", "mhc_post_tilelang_kernel", "mhc_post", "mhc")]
    [InlineData("dsv3_mla", "void deep_gemm::sm90_fp8_gemm_1d2d_impl<...>", "gemm_fp8", "gemm")]
    // docs/messy-traces.md, B20: comm naming drift
    [InlineData("generic", "ncclKernel_AllReduce_RING_LL_Sum_float(ncclWorkElem)", "allreduce", "comm")]
    [InlineData("generic", "nccldevkernel_allreduce_sum_bf16_ring_ll", "allreduce", "comm")]
    [InlineData("generic", "ncclDevKernel_Generic(ncclDevComm*, channelMasks, ncclWork*)", "comm", "comm")]
    [InlineData("generic", "ncclDevKernel_AllGather_RING", "comm", "comm")]
    [InlineData("generic", "cross_device_reduce_2stage<bf16, 4>", "allreduce", "comm")]
    // docs/messy-traces.md, B21: attention / MoE not gemm or other
    [InlineData("generic", "void cutlass::device_kernel<flash::enable_sm90_or_later<flash::FlashAttnFwdSm90<...>>>(...)", "attention", "attention")]
    [InlineData("generic", "void flashinfer::PrefillWithKVCacheKernel<...>", "attention", "attention")]
    [InlineData("generic", "_matmul_ogs_NNT_bf16xbf16xmxfp4_16x256x128x1_swiglu", "moe", "moe")]
    [InlineData("generic", "ck::moe_mxgemm_kernel", "moe", "moe")]
    [InlineData("generic", "nvjet_tst_192x176_64x4_1x2_h_bz_coopB_T", "gemm_bf16", "gemm")]
    [InlineData("generic", "Cijk_Alik_Bljk_HB_MT128x128x32_MI32x32x8", "gemm", "gemm")]
    [InlineData("generic", "void flashinfer::norm::RMSNormKernel<8u, __nv_bfloat16>(...)", "rmsnorm", "norm")]
    [InlineData("generic", "triton_poi_fused_add_copy_0", "elementwise", "elementwise")]
    [InlineData("generic", "topk_softmax_kernel", "moe_gate", "moe")]
    [InlineData("generic", "_ZN7ck_tile6kentryILi2ENS_38FmhaBatchPrefillWithPagedKVCacheKernelINS_BlockAttentionQuantScale", "attention", "attention")]
    [InlineData("generic", "void vllm::rotary_embedding_kernel<c10::BFloat16, true>(...)", "rope", "rope")]
    [InlineData("generic", "void vllm::reshape_and_cache_flash_kernel<...>", "kv_cache", "kv_cache")]
    [InlineData("generic", "totally_unknown_kernel", "other", "other")]
    public void Categorize_returns_expected_category(string profile, string name, string category, string group)
    {
        var m = Cat(profile, name);
        Assert.Equal((category, group), (m.Category, m.Group));
        Assert.True(m.RuleOrder >= 0);
    }

    [Fact]
    public void Categorize_reports_rule_order_in_the_effective_rule_list()
    {
        var profile = ProfileCatalog.Get("dsv3_mla");
        var c = new KernelCategorizer(profile);
        Assert.Equal(0, c.Categorize("flash_fwd_splitkv_mla_kernel").RuleOrder);
        var other = c.Categorize("zzz");
        Assert.Equal(c.Rules.Count - 1, other.RuleOrder);
        Assert.Equal(profile.CategoryRules.Count + ProfileCatalog.UniversalRules.Count, c.Rules.Count);
    }

    [SkippableTheory]
    [Trait("Category", "Corpus")]
    [InlineData("llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz")]
    [InlineData("tracelens/b200/eager_trace.json.gz")]
    [InlineData("tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz")]
    [InlineData("tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz")]
    [InlineData("tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz")]
    [InlineData("tracelens/inference/sglang_prefilldecode/sglang_Qwen3-8B_prefilldecode.json.gz")]
    [InlineData("tracelens/inference/vllm_decode_full/graph_execution.json.gz")]
    [InlineData("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz")]
    [InlineData("tracelens/torch_compile_triton/trace.json.gz")]
    [InlineData("deepseek-profile-data/train.json")]
    public void Categorize_leaves_under_15_percent_of_kernel_time_in_other_on_llm_traces(string trace)
    {
        var k = KernelListLoader.Load(SharedData.RequireTrace(trace));
        var c = new KernelCategorizer(ProfileCatalog.Get("generic"));
        long other = 0, total = 0;
        for (var i = 0; i < k.Count; i++)
        {
            total += k.DurNs[i];
            if (c.Categorize(k.Name(i)).Category == "other") other += k.DurNs[i];
        }
        Assert.InRange((double)other / total, 0, 0.15);
    }
}
