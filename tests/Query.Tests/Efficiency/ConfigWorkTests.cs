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
        var layers = Llmpipe.SqlCsv(db, "SELECT layer_idx, flops, bytes, flops_source, peak_dtype FROM layer_efficiency WHERE run_id = 1 ORDER BY layer_idx");
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
        var pass = Assert.Single(Llmpipe.SqlCsv(db, "SELECT flops, bytes, flops_source, peak_tflops, mfu_pct FROM pass_efficiency WHERE run_id = 1"));
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
        SampleDatabases.CopyOnce(db2); // llmpipe ingest SAMPLE --db DB2: its capture found beside it
        var withCapture = Assert.Single(Llmpipe.SqlCsv(db2, "SELECT flops, flops_source FROM pass_efficiency WHERE run_id = 1"));
        Assert.Equal("shapes", withCapture["flops_source"]);
        Assert.Equal(pass["flops"], withCapture["flops"]);
        Assert.All(Llmpipe.SqlCsv(db2, "SELECT DISTINCT flops_source FROM layer_efficiency WHERE run_id = 1"), x => Assert.Equal("shapes", x["flops_source"]));
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
        Assert.Equal("0", Llmpipe.SqlCsv(db, "SELECT COUNT(*) AS n FROM config_work")[0]["n"]);
        // Layer 5's aten::neg (bytes only, from its shapes) is the only work the layers have.
        Assert.All(Llmpipe.SqlCsv(db, "SELECT layer_idx, flops, flops_source FROM layer_efficiency WHERE run_id = 1"), l =>
        {
            Assert.Equal(l["layer_idx"] == "5" ? "0" : "", l["flops"]);
            Assert.Equal(l["layer_idx"] == "5" ? "shapes" : "", l["flops_source"]);
        });
        var pass = Assert.Single(Llmpipe.SqlCsv(db, "SELECT flops, flops_source FROM pass_efficiency WHERE run_id = 1"));
        Assert.Equal("0", pass["flops"]); // the kernels launched outside the graph have bytes only
        Assert.Equal("shapes", pass["flops_source"]);
    }

    /// <summary>
    /// The shipped vLLM gpt-oss-20b full-graph decode step without its capture: every layer's work comes from
    /// config.json and the step annotation (32 decode sequences, 55,086 cached tokens in all). gpt-oss alternates
    /// sliding-window (128 tokens) and full attention layers; the contexts do not fit the window, so only the full
    /// layers get the attention (the sums cannot say what each sequence's window covers).
    /// </summary>
    [Fact]
    public void Full_attention_layers_get_the_config_attention_and_sliding_window_layers_only_when_the_context_fits()
    {
        using var dir = new TempDir();
        var db = dir.File("oss.db");
        var r = Llmpipe.Run("ingest", SharedData.RepoFile("tests/data/vllm_gpt_oss_20b_decode_full/graph_execution.json.gz"),
            "--config", SharedData.RepoFile("tests/data/vllm_gpt_oss_20b_decode_full/config.json"), "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        // Per token: QKV 2880 x (64 + 2*8)*64 = 14,745,600, O 64*64 x 2880 = 11,796,480, router 2880 x 32 = 92,160
        // weights, and 4 of 32 experts of 3 x 2880 x 2880 = 24,883,200: 2 * (26,634,240 + 4 * 24,883,200) FLOPs. 32
        // tokens read all 32 experts: bytes (26,634,240 + 32 * 24,883,200) * 2 (bf16; the config names no torch_dtype).
        const long gemm = 32L * 2 * (26_634_240 + 4 * 24_883_200);
        const long weights = (26_634_240L + 32 * 24_883_200) * 2;
        Assert.Equal((8_074_690_560L, 1_645_793_280L), (gemm, weights));
        // Full layers: attention 2 * 64 * (64 + 64) * 55086 = 902,529,024 FLOPs (the shapes of the capture give the
        // same, StepAttentionRealTraceTests), KV read 8 * 128 * 2 B * 55086 = 112,816,128 B.
        const long attention = 2L * 64 * 128 * 55086, kv = 8L * 128 * 2 * 55086;
        var layers = Llmpipe.SqlCsv(db, "SELECT layer_idx, flops, bytes, flops_source FROM layer_efficiency WHERE run_id = 1 ORDER BY layer_idx");
        Assert.Equal(24, layers.Count);
        Assert.All(layers, l =>
        {
            var full = int.Parse(l["layer_idx"]) % 2 == 1;
            Assert.Equal(((gemm + (full ? attention : 0)).ToString(), (weights + (full ? kv : 0)).ToString(), "config"),
                (l["flops"], l["bytes"], l["flops_source"]));
        });
        // The pass adds lm_head, launched outside the graph with its shapes: 2 * 32 * 2880 * 201088.
        var pass = Assert.Single(Llmpipe.SqlCsv(db, "SELECT flops, flops_source FROM pass_efficiency WHERE run_id = 1"));
        Assert.Equal((24 * gemm + 12 * attention + 2L * 32 * 2880 * 201088).ToString(), pass["flops"]);
        Assert.Equal("mixed", pass["flops_source"]);
    }
}
