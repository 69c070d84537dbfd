using LlmPipeline.Query.Commands.Efficiency;
using Xunit;

namespace LlmPipeline.Query.Tests.Efficiency;

/// <summary>The pass line of <c>llmpipe efficiency</c>: figures where they are known, else the missing input in words.</summary>
public sealed class EfficiencyPassLineTests
{
    [Fact]
    public void Known_figures_give_mfu_mbu_and_the_peak_they_are_measured_on()
    {
        Assert.Equal("run 1 pass 0: decode, MFU 1.2 %, MBU 34.5 % (15.9 TFLOP/s of 1307.4 bf16)",
            EfficiencyPassLine.For(1, 0, "decode", 1.6e11, 15.94, "bf16", 1307.4, 1.219, 34.51, "AMD Instinct MI300X"));
    }

    [Fact]
    public void No_work_says_that_shapes_and_a_config_are_missing()
    {
        Assert.Equal("run 1 pass 2: decode, MFU and MBU unknown: no kernel of the pass has its op's input shapes and the run " +
                     "has no model config to derive its work from (ingest with --config config.json)",
            EfficiencyPassLine.For(1, 2, "decode", null, null, null, null, null, null, "NVIDIA A800-SXM4-80GB"));
        Assert.StartsWith("run 1 pass 2: phase unknown, MFU and MBU unknown", EfficiencyPassLine.For(1, 2, null, 0, 0, null, null, null, null, null));
    }

    [Fact]
    public void No_peaks_gives_the_achieved_tflops_and_names_the_gpu()
    {
        Assert.Equal("run 3 pass 1: prefill, 3.5 TFLOP/s; MFU and MBU unknown: no datasheet peaks for GPU '' (give them with ingest --gpu-specs FILE)",
            EfficiencyPassLine.For(3, 1, "prefill", 7e12, 3.47, "bf16", null, null, null, ""));
    }
}
