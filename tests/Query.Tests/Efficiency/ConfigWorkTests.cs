using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Efficiency;

/// <summary>
/// Config-derived work (issue 20) on the shipped sample tests/data/sglang_qwen3_8b_decode: ingested without its
/// capture trace (every GEMM is an unattributed graph replay kernel), the layers' and the pass's work comes from
/// config.json and the step's 32 tokens.
/// </summary>
public sealed class ConfigWorkTests
{
    private static string Sample => SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz");

    private static List<Dictionary<string, string>> Csv(string db, string sql)
    {
        var r = Llmpipe.Run("sql", sql, "--format", "csv", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return Parse.Csv(r.Stdout);
    }

    [Fact]
    public void Without_the_capture_config_gemm_flops_match_the_shape_derived_ones()
    {
        using var dir = new TempDir();
        var empty = Directory.CreateDirectory(dir.File("no_captures")).FullName;
        var db = dir.File("nocap.db");
        var r = Llmpipe.Run("ingest", Sample, "--capture-traces", empty, "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);

        // Per layer, 32 tokens: GEMMs 2 * 32 * 4096 * (6144 + 4096 + 24576) + 2 * 32 * 12288 * 4096; weights
        // 4096 * 47104 * 2 B. Attention, from the step annotation's 32 decode sequences attending 32,785 cached tokens
        // in all: 2 * 32 heads * (128 + 128) * 32785 = 537,149,440 FLOPs, the KV cache read 8 * (128 + 128) * 2 B *
        // 32785 = 134,287,360 B; the paged attention kernels with the capture count the same FLOPs.
        const long gemmFlops = 2L * 32 * 4096 * (6144 + 4096 + 24576) + 2L * 32 * 12288 * 4096;
        const long attentionFlops = 2L * 32 * 256 * 32785;
        const long layerFlops = gemmFlops + attentionFlops;
        const long layerBytes = 4096L * 47104 * 2 + 8L * 256 * 2 * 32785;
        Assert.Equal(537_149_440L, attentionFlops);
        var layers = Csv(db, "SELECT layer_idx, flops, bytes, flops_source, peak_dtype FROM layer_efficiency WHERE run_id = 1 ORDER BY layer_idx");
        Assert.Equal(36, layers.Count);
        // Layer 5 also holds one kernel launched outside the graph, an aten::neg with shapes (512 B, bytes only): its
        // GEMMs come from the config, that kernel's bytes from its shapes, so the layer is mixed.
        Assert.All(layers, l =>
        {
            var five = l["layer_idx"] == "5";
            Assert.Equal(layerFlops.ToString(), l["flops"]);
            Assert.Equal((layerBytes + (five ? 512 : 0)).ToString(), l["bytes"]);
            Assert.Equal(five ? "mixed" : "config", l["flops_source"]);
            Assert.Equal("bf16", l["peak_dtype"]);
        });

        // Layers + lm_head (2 * 32 * 4096 * 151936): the config's GEMM FLOPs equal the shape-derived GEMM FLOPs with the
        // capture, 484,358,225,920 (EfficiencyRealTraceTests, TraceLens's total): 0 % apart, within the 2 % asked.
        var pass = Assert.Single(Csv(db, "SELECT flops, bytes, flops_source, peak_tflops, mfu_pct FROM pass_efficiency WHERE run_id = 1"));
        const long shapeGemmFlops = 484_358_225_920L;
        Assert.Equal(36 * layerFlops + 2L * 32 * 4096 * 151936, long.Parse(pass["flops"]));
        var configGemmFlops = long.Parse(pass["flops"]) - 36 * attentionFlops;
        Assert.InRange(Math.Abs(configGemmFlops - shapeGemmFlops) / (double)shapeGemmFlops, 0, 0.02);
        Assert.Equal(503_695_605_760L, long.Parse(pass["flops"]));
        Assert.Equal("config", pass["flops_source"]);
        Assert.Equal("1307.4", pass["peak_tflops"]);
        // Bytes: 36 layers' weights and KV reads + lm_head's 4096 * 151936 * 2 B, plus 19,449,344 B from the shapes of the kernels
        // launched outside the graph (the pass's flops are 0 and its bytes 19,449,344 without a config).
        Assert.Equal(36 * layerBytes + 4096L * 151936 * 2 + 19_449_344, long.Parse(pass["bytes"]));

        // With the capture, the same pass is shape-derived, with the same FLOPs (its bytes count activations too).
        var db2 = dir.File("cap.db");
        Assert.Equal(0, Llmpipe.Run("ingest", Sample, "--db", db2, "--quiet").ExitCode);
        var withCapture = Assert.Single(Csv(db2, "SELECT flops, flops_source FROM pass_efficiency WHERE run_id = 1"));
        Assert.Equal("shapes", withCapture["flops_source"]);
        Assert.Equal(pass["flops"], withCapture["flops"]);
        Assert.All(Csv(db2, "SELECT DISTINCT flops_source FROM layer_efficiency WHERE run_id = 1"), x => Assert.Equal("shapes", x["flops_source"]));
    }

    [Fact]
    public void Without_a_config_no_work_is_invented()
    {
        using var dir = new TempDir();
        var trace = dir.File("alone.json.gz");
        File.Copy(Sample, trace);
        var db = dir.File("alone.db");
        var r = Llmpipe.Run("ingest", trace, "--num-layers", "36", "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("0", Csv(db, "SELECT COUNT(*) AS n FROM config_work")[0]["n"]);
        // Layer 5's aten::neg (bytes only, from its shapes) is the only work the layers have.
        Assert.All(Csv(db, "SELECT layer_idx, flops, flops_source FROM layer_efficiency WHERE run_id = 1"), l =>
        {
            Assert.Equal(l["layer_idx"] == "5" ? "0" : "", l["flops"]);
            Assert.Equal(l["layer_idx"] == "5" ? "shapes" : "", l["flops_source"]);
        });
        var pass = Assert.Single(Csv(db, "SELECT flops, flops_source FROM pass_efficiency WHERE run_id = 1"));
        Assert.Equal("0", pass["flops"]); // the kernels launched outside the graph have bytes only
        Assert.Equal("shapes", pass["flops_source"]);
    }
}
