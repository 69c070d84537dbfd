using LlmPipeline.Analysis.Config;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

public sealed class ModelConfigTests
{
    [SkippableTheory]
    [InlineData("aiconfigurator/deepseek-ai--DeepSeek-V3_config.json", "dsv3_mla")]
    [InlineData("aiconfigurator/deepseek-ai--DeepSeek-R1_config.json", "dsv3_mla")]
    [InlineData("aiconfigurator/moonshotai--Kimi-K2-Instruct_config.json", "dsv3_mla")]
    [InlineData("deepseek-ai_DeepSeek-V3/inference/configs/config_671B.json", "dsv3_mla")]
    [InlineData("aiconfigurator/deepseek-ai--DeepSeek-V3.2_config.json", "generic")]
    [InlineData("aiconfigurator/zai-org--GLM-5_config.json", "generic")]
    [InlineData("aiconfigurator/deepseek-ai--DeepSeek-V4-Flash_config.json", "dsv4_csa_hca")]
    [InlineData("aiconfigurator/deepseek-ai--DeepSeek-V4-Pro_config.json", "dsv4_csa_hca")]
    [InlineData("Mockingjay1316_deepseek-v4-flash-spark/inference/config.json", "dsv4_csa_hca")]
    [InlineData("aiconfigurator/Qwen--Qwen3-8B_config.json", "generic")]
    [InlineData("aiconfigurator/Qwen--Qwen3.5-27B_config.json", "generic")]
    [InlineData("aiconfigurator/Qwen--Qwen3-VL-8B-Instruct_config.json", "generic")]
    [InlineData("aiconfigurator/meta-llama--Meta-Llama-3.1-8B_config.json", "generic")]
    [InlineData("aiconfigurator/mistralai--Mixtral-8x7B-v0.1_config.json", "generic")]
    [InlineData("aiconfigurator/openai--gpt-oss-20b_config.json", "generic")]
    public void Infer_picks_the_profile_of_real_configs(string config, string expected)
    {
        var c = ModelConfigReader.Read(SharedData.RequireConfig(config));
        var (name, reason) = ProfileInference.Infer(c);
        Assert.Equal(expected, name);
        Assert.False(string.IsNullOrWhiteSpace(reason));
        if (expected == "generic" && c.IndexTopk is not null) Assert.Contains("index_topk", reason);
    }

    [SkippableTheory]
    [InlineData("aiconfigurator/Qwen--Qwen3.5-27B_config.json")]
    [InlineData("aiconfigurator/Qwen--Qwen3-VL-8B-Instruct_config.json")]
    public void Read_flattens_nested_text_config_layer_counts(string config)
    {
        var path = SharedData.RequireConfig(config);
        var c = ModelConfigReader.Read(path);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var expected = doc.RootElement.GetProperty("text_config").GetProperty("num_hidden_layers").GetInt32();
        Assert.Equal(expected, c.NumHiddenLayers);
    }

    [SkippableFact]
    public void Read_uses_deepseek_aliases_of_the_v4_inference_config()
    {
        var c = ModelConfigReader.Read(SharedData.RequireConfig("Mockingjay1316_deepseek-v4-flash-spark/inference/config.json"));
        Assert.Equal(43, c.NumHiddenLayers);
        Assert.Equal(3, c.NumHashLayers);
        Assert.Equal(44, c.CompressRatios.Count);
        Assert.True(c.Scalars.ContainsKey("hidden_size"));
    }

    [SkippableFact]
    public void Read_gets_v3_dense_layers_and_experts()
    {
        var c = ModelConfigReader.Read(SharedData.RequireConfig("aiconfigurator/deepseek-ai--DeepSeek-V3_config.json"));
        Assert.Equal((61, 3, 1, 512), (c.NumHiddenLayers, c.FirstKDenseReplace, c.NumNextnPredictLayers, c.KvLoraRank));
        Assert.Equal(256, c.NumRoutedExperts);
    }

    [Fact]
    public void Parse_reports_bad_json_naming_the_file()
    {
        var ex = Assert.Throws<ModelConfigException>(() => ModelConfigReader.Parse("{\"num_hidden_layers\": ", "/x/config.json"));
        Assert.StartsWith("/x/config.json: not valid JSON", ex.Message);
    }

    [Fact]
    public void Infer_without_config_is_generic() => Assert.Equal("generic", ProfileInference.Infer(null).ProfileName);

    [Fact]
    public void Normalize_drops_the_mtp_ratio_and_warns_on_mismatch()
    {
        var c = ModelConfigReader.Parse("{\"num_hidden_layers\":4,\"num_nextn_predict_layers\":1,\"compress_ratios\":[0,4,128,4,0]}");
        var ok = CompressRatios.Normalize(c, 4);
        Assert.Equal([0, 4, 128, 4], ok.Ratios);
        Assert.Null(ok.Warning);
        var odd = CompressRatios.Normalize(c, 3);
        Assert.Equal([0, 4, 128], odd.Ratios);
        Assert.Contains("compress_ratios has 5 entries", odd.Warning);
        var longer = CompressRatios.Normalize(c, 7);
        Assert.Equal([0, 4, 128, 4, 0], longer.Ratios);
        Assert.NotNull(longer.Warning);
    }
}
