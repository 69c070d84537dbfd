using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>
/// Eager kernels take module and layer_module from the nn.Module scopes of a trace recorded with_modules, joined
/// through their launch's time and thread: the HF transformers Qwen1.5-0.5B-Chat traces (24 layers) published by
/// AMD-AGI/TraceLens, whose module scopes cover the window's one complete forward (42 kernels per layer on H100, 43 on
/// MI300X, the layer period of these traces).
/// </summary>
[Trait("Category", "Slow")]
public sealed class EagerModulesTests
{
    [SkippableTheory]
    [InlineData("tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", 42)]
    [InlineData("tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", 43)]
    public void Hf_eager_kernels_carry_their_decoder_layer_module(string relative, int kernelsPerLayer)
    {
        var trace = SharedData.RequireTrace(relative);
        using var dir = new TempDir();
        Ingesting.Run(dir, trace);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"Qwen2DecoderLayer_{i}|{kernelsPerLayer}").ToList(), Ingesting.Strings(dir, """
            SELECT layer_module || '|' || count(*) FROM kernels WHERE layer_module IS NOT NULL GROUP BY layer_module ORDER BY min(kernel_idx)
            """));
        // a kernel's module is the innermost scope: inside a layer, never the layer itself when a submodule launched it
        Assert.True(Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE module LIKE 'Qwen2Attention\\_%' ESCAPE '\\' OR module LIKE 'Linear\\_%' ESCAPE '\\'") > 0);
    }
}
