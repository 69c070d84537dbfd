using LlmPipeline.Analysis.Efficiency;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>The shipped GPU peak table and its device-name matching (issue 20).</summary>
public sealed class GpuSpecsTests
{
    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", "NVIDIA H100 SXM", 989.4, 3350)]
    [InlineData("NVIDIA H100 PCIe", "NVIDIA H100 PCIe", 756, 2000)]
    [InlineData("NVIDIA H100 NVL", "NVIDIA H100 NVL", 835.5, 3900)]
    [InlineData("NVIDIA H200", "NVIDIA H200", 989.4, 4800)]
    [InlineData("NVIDIA H800", "NVIDIA H800", 989.4, 3350)]
    [InlineData("NVIDIA H20", "NVIDIA H20", 148, 4000)]
    [InlineData("NVIDIA A100-SXM4-80GB", "NVIDIA A100 80GB SXM", 312, 2039)]
    [InlineData("NVIDIA A100-SXM4-40GB", "NVIDIA A100 40GB", 312, 1555)]
    [InlineData("NVIDIA L40S", "NVIDIA L40S", 362.05, 864)]
    [InlineData("NVIDIA B200", "NVIDIA B200", 2250, 8000)]
    [InlineData("NVIDIA GB200", "NVIDIA GB200", 2500, 8000)]
    [InlineData("AMD Instinct MI300X VF", "AMD Instinct MI300X", 1307.4, 5300)]
    [InlineData("AMD Instinct MI300X", "AMD Instinct MI300X", 1307.4, 5300)]
    [InlineData("AMD Instinct MI325X", "AMD Instinct MI325X", 1307.4, 6000)]
    [InlineData("AMD Instinct MI355X", "AMD Instinct MI355X", 2516.6, 8000)]
    [InlineData("AMD Instinct MI250X", "AMD Instinct MI250X", 383, 3276.8)]
    [InlineData("AMD Instinct MI210", "AMD Instinct MI210", 181, 1638.4)]
    public void Device_names_match_their_part_with_dense_bf16_peak_and_bandwidth(string device, string part, double bf16, double gbps)
    {
        var spec = GpuSpecs.Load().Match(device);
        Assert.NotNull(spec);
        Assert.Equal(part, spec.Name);
        Assert.Equal(bf16, spec.Tflops["bf16"]);
        Assert.Equal(gbps, spec.MemoryGbps);
        Assert.False(string.IsNullOrEmpty(spec.Datasheet));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("AMD Radeon Graphics")]
    public void Unknown_or_empty_names_match_nothing(string? device) => Assert.Null(GpuSpecs.Load().Match(device));

    [Fact]
    public void Lower_precision_of_mixed_inputs_bounds_a_gemm()
    {
        Assert.Equal("fp4", OpWork.LowerPrecision("fp8", "fp4"));
        Assert.Equal("fp8", OpWork.LowerPrecision("bf16", "fp8"));
        var fp8 = OpWork.Of("aten::_scaled_mm", "[[128,256],[256,512],[],[],[],[]]", """["c10::Float8_e4m3fn","c10::Float8_e4m3fn","float","float","",""]""", "sm90_gemm");
        Assert.NotNull(fp8);
        Assert.Equal(2L * 128 * 512 * 256, fp8.Flops);
        Assert.Equal("fp8", fp8.ComputeDtype);
        Assert.Equal(128L * 256 + 256L * 512 + 128L * 512 * 2, fp8.Bytes); // fp8 inputs, bf16 output
        // A vendor GEMM with its weight as [N, K] (aiter::gemm_a16w16).
        var aiter = OpWork.Of("aiter::gemm_a16w16", "[[32,4096],[24576,4096],[],[],[],[],[]]", """["c10::BFloat16","c10::BFloat16","","Scalar","","",""]""", "Cijk_Alik");
        Assert.Equal(2L * 32 * 24576 * 4096, aiter!.Flops);
        // A memset kernel of a GEMM carries none of its work.
        Assert.Null(OpWork.Of("aten::mm", "[[32,4096],[4096,4096]]", """["c10::BFloat16","c10::BFloat16"]""", "memset_kernel"));
    }
}
