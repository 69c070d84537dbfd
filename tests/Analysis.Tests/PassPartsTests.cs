using LlmPipeline.Analysis.Segmentation;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>
/// <see cref="PassParts.Build"/> on nine hand-placed kernels: a prologue, two layers with a kernel between them (the
/// gap part), a layer that resumes after that kernel, an epilogue, a kernel outside every pass, and a pass without
/// layers (unsegmented).
/// </summary>
public sealed class PassPartsTests
{
    [Fact]
    public void Every_kernel_of_a_pass_lands_in_exactly_one_part_with_its_sum_and_busy()
    {
        // kernel:          0     1      2      3      4      5      6      7       8
        long[] start = [0, 10, 30, 32, 40, 60, 75, 100, 120];
        long[] dur = [10, 20, 3, 8, 30, 15, 5, 10, 10];
        int[] pass = [0, 0, 0, 0, 0, 0, 0, -1, 1];
        int[] layer = [-1, 0, -1, 0, 1, 1, -1, -1, -1];
        KernelRole[] role =
        [
            KernelRole.Prologue, KernelRole.Layer, KernelRole.Epilogue, KernelRole.Layer, KernelRole.Layer, KernelRole.Layer,
            KernelRole.Epilogue, KernelRole.None, KernelRole.None,
        ];
        var k = new KernelSequence(start, dur, new int[9], ["k"]);

        var parts = PassParts.Build(k, pass, layer, role);

        Assert.Equal(new PassPart[]
        {
            new(0, "prologue", null, 0, 10, 0.010, 0.010, 1),
            // layer 0: [10,30) and [32,40), around kernel 2
            new(0, "layer", 0, 10, 40, 0.028, 0.028, 2),
            // kernel 2 lies after the pass's first layer kernel and before its last one
            new(0, "gap", null, 30, 33, 0.003, 0.003, 1),
            // layer 1: [40,70) and [60,75) overlap: busy 35 ns of 45 ns summed
            new(0, "layer", 1, 40, 75, 0.045, 0.035, 2),
            new(0, "epilogue", null, 75, 80, 0.005, 0.005, 1),
            new(1, "unsegmented", null, 120, 130, 0.010, 0.010, 1),
        }, parts);
    }
}
