using LlmPipeline.Analysis.Names;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

public sealed class NameSimplifierTests
{
    [Theory]
    [InlineData("void at::native::rms_norm_kernel<c10::BFloat16>(long)", "rms_norm_kernel<c10::BFloat16>(long)")]
    [InlineData("ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)", "ncclAllReduce_bf16_RING_LL")]
    [InlineData("void flashinfer::norm::RMSNormKernel<8u>", "RMSNormKernel<8u>")]
    [InlineData("mhc_post_tilelang_kernel", "mhc_post_tilelang")]
    [InlineData("void smxx::decode::flash_fwd_mla_combine_kernel<128>", "flash_fwd_mla_combine<128>")]
    [InlineData("void deep_gemm::sm90_fp8_gemm_1d2d_impl<1>", "deep_gemm::sm90_fp8_gemm_1d2d<1>")]
    [InlineData("void (anonymous namespace)::store_kvcache<2048l>", "store_kvcache<2048l>")]
    [InlineData("fused_moe_kernel", "fused_moe_kernel")]
    public void Simplify_applies_every_reference_pair(string name, string expected) =>
        Assert.Equal(expected, NameSimplifier.Simplify(name));

    [Fact]
    public void Simplify_cuts_long_names_to_80_characters()
    {
        var s = NameSimplifier.Simplify(new string('x', 100));
        Assert.Equal(80, s.Length);
        Assert.Equal(new string('x', 77) + "...", s);
        Assert.Equal(new string('y', 80), NameSimplifier.Simplify(new string('y', 80)));
    }
}
