using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Layers;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

public sealed class LayerTyperTests
{
    [Fact]
    public void Label_composes_position_ratio_ffn_and_hash_for_dsv4()
    {
        var c = ModelConfigReader.Parse("{\"num_hidden_layers\":4,\"num_hash_layers\":2,\"n_routed_experts\":8,\"first_k_dense_replace\":0,\"compress_ratios\":[0,4,128,2]}");
        var r = c.CompressRatios;
        Assert.Equal(("FIRST+SWA_ONLY+MOE+HASH", (int?)0), LayerTyper.Label(0, 4, c, r, null));
        Assert.Equal(("MIDDLE+CSA_C4+MOE+HASH", (int?)4), LayerTyper.Label(1, 4, c, r, null));
        Assert.Equal(("MIDDLE+HCA_C128+MOE", (int?)128), LayerTyper.Label(2, 4, c, r, null));
        Assert.Equal(("FINAL+CR2+MOE", (int?)2), LayerTyper.Label(3, 4, c, r, null));
    }

    [Fact]
    public void Label_uses_first_k_dense_replace_and_layer_types()
    {
        var v3 = ModelConfigReader.Parse("{\"num_hidden_layers\":61,\"first_k_dense_replace\":3,\"moe_layer_freq\":1,\"n_routed_experts\":256}");
        Assert.Equal("MIDDLE+DENSE", LayerTyper.Label(2, 61, v3, [], true).Label);
        Assert.Equal("MIDDLE+MOE", LayerTyper.Label(3, 61, v3, [], true).Label);
        var oss = ModelConfigReader.Parse("{\"num_local_experts\":32,\"layer_types\":[\"sliding_attention\",\"full_attention\"]}");
        Assert.Equal("FIRST+SLIDING+MOE", LayerTyper.Label(0, 2, oss, [], true).Label);
        Assert.Equal("FINAL+FULL+DENSE", LayerTyper.Label(1, 2, oss, [], false).Label);
        Assert.Equal("MIDDLE", LayerTyper.Label(1, 3, null, [], null).Label);
        // B33 / issue 4: without config keys the layer's kernels decide.
        Assert.Equal("MIDDLE+MOE", LayerTyper.Label(1, 3, null, [], true).Label);
        Assert.Equal("FIRST+DENSE", LayerTyper.Label(0, 3, ModelConfigReader.Parse("{\"num_hidden_layers\":3}"), [], false).Label);
        var qwenMoe = ModelConfigReader.Parse("{\"num_experts\":8,\"mlp_only_layers\":[0]}");
        Assert.Equal("FIRST+DENSE", LayerTyper.Label(0, 4, qwenMoe, [], null).Label);
        Assert.Equal("MIDDLE+MOE", LayerTyper.Label(1, 4, qwenMoe, [], null).Label);
    }
}
