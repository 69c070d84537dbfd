using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>Issue 2 acceptance on synthetic DeepSeek-shaped decode traces (no public trace has these anchors).</summary>
public sealed class SyntheticDeepSeekIngestTests
{
    [Fact]
    public void Ingest_deepseek_v3_decode_with_its_config_gives_5_complete_passes_of_61_layers()
    {
        using var dir = new TempDir();
        var trace = dir.File("dsv3.json.gz");
        var gen = TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 5, Seed = 7 }, trace, gzip: true);
        Ingesting.Run(dir, trace, Ingesting.DataFile("configs/deepseek-ai--DeepSeek-V3_config.json"));
        Assert.Equal(gen.KernelCount, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.Equal("dsv3_mla", Ingesting.Scalar<string>(dir, "SELECT profile FROM runs"));
        Assert.Equal(5, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes WHERE is_partial = 1"));
        Assert.Equal(new long[] { 61, 61, 61, 61, 61 }, Ingesting.Longs(dir, "SELECT layer_count FROM passes ORDER BY pass_idx"));
        Assert.Equal(5 * 61, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM layers"));
        // Every anchor kernel opens a layer block.
        Assert.Equal(5 * 61, Ingesting.Scalar<long>(dir, """
            SELECT count(*) FROM kernels k JOIN kernel_names n USING (name_id)
            WHERE n.name LIKE '%flash_fwd_mla_combine%' AND k.role = 'layer'
            """));
        Assert.Equal("flash_fwd_mla_combine", Ingesting.Scalar<string>(dir, "SELECT anchor_kernel FROM runs"));
    }

    [Fact]
    public void Ingest_deepseek_v4_decode_puts_mla_in_attn_and_moe_in_ffn_halves()
    {
        using var dir = new TempDir();
        var trace = dir.File("dsv4.json");
        TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.DeepSeekV4Decode, Passes = 3, Seed = 11 }, trace, gzip: false);
        Ingesting.Run(dir, trace, Ingesting.DataFile("configs/deepseek-ai--DeepSeek-V4-Flash_config.json"));
        Assert.Equal("dsv4_csa_hca", Ingesting.Scalar<string>(dir, "SELECT profile FROM runs"));
        Assert.Equal("closes", Ingesting.Scalar<string>(dir, "SELECT anchor_role FROM runs"));
        Assert.Equal(2, Ingesting.Scalar<long>(dir, "SELECT blocks_per_layer FROM runs"));
        Assert.Equal(new long[] { 43, 43, 43 }, Ingesting.Longs(dir, "SELECT layer_count FROM passes ORDER BY pass_idx"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE category = 'mla' AND role = 'layer' AND half <> 'attn'"));
        Assert.True(Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE category = 'mla' AND half = 'attn'") >= 3 * 43);
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE category = 'moe' AND role = 'layer' AND half <> 'ffn'"));
        Assert.True(Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE category = 'moe' AND half = 'ffn'") >= 3 * 43);
        // Layer types per docs/segmentation.md, section 6: position + attention kind (+ HASH for the first num_hash_layers = 3).
        Assert.Matches(@"^FIRST\+SWA_ONLY(\+MOE)?\+HASH$", Ingesting.Scalar<string>(dir, "SELECT layer_type FROM layers WHERE pass_idx = 0 AND layer_idx = 0"));
        Assert.StartsWith("MIDDLE+CSA_C4", Ingesting.Scalar<string>(dir, "SELECT layer_type FROM layers WHERE pass_idx = 0 AND layer_idx = 2"));
        Assert.StartsWith("MIDDLE+HCA_C128", Ingesting.Scalar<string>(dir, "SELECT layer_type FROM layers WHERE pass_idx = 0 AND layer_idx = 3"));
        Assert.StartsWith("FINAL+CSA_C4", Ingesting.Scalar<string>(dir, "SELECT layer_type FROM layers WHERE pass_idx = 0 AND layer_idx = 42"));
    }
}
