using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Efficiency;

/// <summary>
/// Serving attention's work reaches the efficiency views (issue 20): the TraceLens serving traces annotate each step
/// with its attention lengths (Σ Sq, Σ Sk, Σ Sq², Σ Sq·Sk), which pass_attention_lengths stores and the views combine with
/// the attention ops' shapes. Per-layer and per-pass values are computed by hand; the attention FLOPs and bytes equal
/// TraceLens's InferenceAttention_fwd.csv for the same steps (AMD-AGI/TraceLens 171dd747,
/// tests/traces/inference/*/perf_csvs/).
/// </summary>
[Trait("Category", "Slow")]
public sealed class StepAttentionRealTraceTests
{
    private static string Ingest(TempDir dir, params string[] args)
    {
        var db = dir.File("attn.db");
        var r = Llmpipe.Run([.. (string[])["ingest"], .. args, "--db", db, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return db;
    }

    [SkippableFact]
    public void Sglang_decode_with_its_capture_counts_the_paged_attention_of_every_layer()
    {
        var trace = SharedData.RequireTrace("tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz");
        var capture = SharedData.RequireCapture("tracelens/sglang_decode");
        using var dir = new TempDir();
        var db = Ingest(dir, trace, "--capture-traces", capture);

        var lengths = Assert.Single(Llmpipe.SqlCsv(db, "SELECT context_seqs, generation_seqs, generation_sq, generation_sk, generation_sq_sk FROM pass_attention_lengths"));
        Assert.Equal(["0", "32", "32", "32785", "32785"], lengths.Values);
        // Each layer's paged_attention_ll4mi_QKV kernel: 2 * 32 heads * (128 + 128) * 32785 = 537,149,440 FLOPs; bytes
        // the KV read 8 * 256 * 2 * 32785 = 134,287,360 + q and out 32 * 32 * 256 * 2 = 524,288 (TraceLens: 0.53714944
        // GFLOPs, 128.56640625 MB). The reduce kernel carries none.
        var attention = Assert.Single(Llmpipe.SqlCsv(db, """
            SELECT COUNT(*) AS n, MIN(flops) AS flops, MAX(flops) AS max_flops, MIN(bytes) AS bytes, COUNT(DISTINCT layer_idx) AS layers
            FROM kernel_efficiency WHERE run_id = 1 AND op_class = 'attention'
            """));
        Assert.Equal(["36", "537149440", "537149440", "134811648", "36"], attention.Values);

        // Layer: its 4 GEMMs, 2 * 32 * 4096 * 47104 = 12,348,030,976, plus the attention.
        const long layer = 2L * 32 * 4096 * 47104 + 537_149_440;
        var layers = Llmpipe.SqlCsv(db, "SELECT layer_idx, flops, flops_source FROM layer_efficiency WHERE run_id = 1 ORDER BY layer_idx");
        Assert.Equal(36, layers.Count);
        Assert.All(layers, l => Assert.Equal((layer.ToString(), "shapes"), (l["flops"], l["flops_source"])));
        // Pass: 36 layers + lm_head 2 * 32 * 4096 * 151936 = 503,695,605,760 FLOPs; MFU against MI300X's dense bf16 1307.4.
        var pass = Assert.Single(Llmpipe.SqlCsv(db, "SELECT flops, wall_us, peak_tflops, mfu_pct FROM pass_efficiency WHERE run_id = 1"));
        Assert.Equal(36 * layer + 2L * 32 * 4096 * 151936, long.Parse(pass["flops"]));
        Assert.Equal(503_695_605_760L, long.Parse(pass["flops"]));
        Assert.Equal(100.0 * 503_695_605_760 / (Parse.D(pass["wall_us"]) * 1e6) / 1307.4, Parse.D(pass["mfu_pct"]), 9);
    }

    [SkippableFact]
    public void Vllm_full_graph_decode_counts_both_unified_attention_variants_once()
    {
        var trace = SharedData.RequireTrace("tracelens/inference/vllm_decode_full/graph_execution.json.gz");
        var capture = SharedData.RequireCapture("tracelens/vllm_decode_full");
        using var dir = new TempDir();
        var db = Ingest(dir, trace, "--capture-traces", capture);

        // gpt-oss-20b, 32 decode sequences attending 55,086 cached tokens: 2 * 64 * (64 + 64) * 55086 = 902,529,024 FLOPs;
        // bytes 32 * 64 * 128 * 2 + 55086 * 8 * 128 * 2 = 113,340,416 (TraceLens 0.902529024 GFLOPs, 108.08984375 MB).
        // kernel_unified_attention_2d runs in 12 layers, _3d with its reduce_segments (no work) in the other 12.
        var rows = Llmpipe.SqlCsv(db, """
            SELECT n.name AS kernel, COUNT(*) AS n, MIN(e.flops) AS flops, MAX(e.bytes) AS bytes
            FROM kernel_efficiency AS e JOIN kernel_rows AS r USING (run_id, device, kernel_idx) JOIN kernel_names AS n USING (name_id)
            WHERE e.run_id = 1 AND e.op_class = 'attention' GROUP BY n.name ORDER BY n.name
            """);
        Assert.Equal(["kernel_unified_attention_2d|12|902529024|113340416", "kernel_unified_attention_3d|12|902529024|113340416"],
            rows.Select(r => string.Join("|", r.Values)));
        Assert.Equal("0", Llmpipe.SqlCsv(db, """
            SELECT COUNT(*) AS n FROM kernel_efficiency AS e JOIN kernel_rows AS r USING (run_id, device, kernel_idx)
            JOIN kernel_names AS n USING (name_id) WHERE e.run_id = 1 AND n.name = 'reduce_segments'
            """)[0]["n"]);
        // Layer: QKV 2*32*5120*2880 + 32*5120 (bias) = 943,882,240, O 2*32*2880*4096 + 32*2880 = 755,066,880, router
        // 2*32*32*2880 + 32*32 = 5,899,264 (TraceLens GEMM.csv), attention 902,529,024; the MoE op (vllm::moe_forward)
        // records no expert weights, so its work stays unknown.
        const long layer = 943_882_240L + 755_066_880 + 5_899_264 + 902_529_024;
        Assert.All(Llmpipe.SqlCsv(db, "SELECT flops FROM layer_efficiency WHERE run_id = 1"), l => Assert.Equal(layer.ToString(), l["flops"]));
        Assert.Equal(24, Llmpipe.SqlCsv(db, "SELECT flops FROM layer_efficiency WHERE run_id = 1").Count);
        // The device name is empty: no peaks, so MFU stays NULL while the FLOPs are known.
        var pass = Assert.Single(Llmpipe.SqlCsv(db, "SELECT phase, mfu_pct FROM pass_efficiency WHERE run_id = 1"));
        Assert.Equal(("decode", ""), (pass["phase"], pass["mfu_pct"]));
    }

    [SkippableFact]
    public void Vllm_mixed_step_counts_the_prefill_part_causally()
    {
        var trace = SharedData.RequireTrace("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz");
        var capture = SharedData.RequireCapture("tracelens/vllm_prefilldecode_piecewise");
        using var dir = new TempDir();
        var db = Ingest(dir, trace, "--capture-traces", capture);
        // 8192 tokens: 9 prefill sequences (8155 new tokens, Σ Sq·Sk 7,671,310, Σ Sq² 7,475,785) and 37 decode ones
        // (34,489 context tokens). Attention 16384 * (7,671,310 - 7,475,785 / 2 + 34,489) = 65,010,180,096 FLOPs
        // (TraceLens 65.010180096 GFLOPs), run eagerly between the graph pieces. Layer: QKV 2*8192*5120*2880 + 8192*5120
        // = 241,633,853,440, O 2*8192*2880*4096 + 8192*2880 = 193,297,121,280, router 2*8192*32*2880 + 8192*32 =
        // 1,510,211,584, plus the attention.
        const long layer = 241_633_853_440L + 193_297_121_280 + 1_510_211_584 + 65_010_180_096;
        var layers = Llmpipe.SqlCsv(db, "SELECT flops FROM layer_efficiency WHERE run_id = 1");
        Assert.Equal(24, layers.Count);
        Assert.All(layers, l => Assert.Equal(layer.ToString(), l["flops"]));
        Assert.Equal("mixed", Llmpipe.SqlCsv(db, "SELECT phase FROM passes WHERE run_id = 1")[0]["phase"]);
        Assert.Equal(["24", "222115840"], Llmpipe.SqlCsv(db,
            "SELECT COUNT(*) AS n, MIN(bytes) AS bytes FROM kernel_efficiency WHERE run_id = 1 AND op_class = 'attention'")[0].Values);
    }

    [SkippableFact]
    public void Sglang_prefill_counts_the_batch_prefill_attention_and_its_mfu()
    {
        var trace = SharedData.RequireTrace("tracelens/inference/sglang_prefilldecode/sglang_Qwen3-8B_prefilldecode.json.gz");
        using var dir = new TempDir();
        var db = Ingest(dir, trace);
        // 15 prefill sequences of 15,360 new tokens in all (Σ Sq² = Σ Sq·Sk = 15,728,640: no cached prefix):
        // aiter::mha_batch_prefill 2*32*256 * (15,728,640 - 15,728,640 / 2) = 128,849,018,880 FLOPs (TraceLens
        // 128.84901888 GFLOPs), bytes 15360 * (32 + 8) * 256 * 2 = 314,572,800 (300 MB). Layer: its GEMMs
        // 2 * 15360 * 4096 * 47104 = 5,927,054,868,480 plus the attention. Pass: 36 layers + lm_head over the 15
        // sequences' last tokens, 2 * 15 * 4096 * 151936.
        const long layer = 2L * 15360 * 4096 * 47104 + 128_849_018_880;
        Assert.Equal(6_055_903_887_360L, layer);
        var layers = Llmpipe.SqlCsv(db, "SELECT flops FROM layer_efficiency WHERE run_id = 1");
        Assert.Equal(36, layers.Count);
        Assert.All(layers, l => Assert.Equal(layer.ToString(), l["flops"]));
        var pass = Assert.Single(Llmpipe.SqlCsv(db, "SELECT flops, wall_us, peak_tflops, mfu_pct, flops_source FROM pass_efficiency WHERE run_id = 1"));
        Assert.Equal(36 * layer + 2L * 15 * 4096 * 151936, long.Parse(pass["flops"]));
        Assert.Equal("shapes", pass["flops_source"]);
        Assert.Equal(100.0 * long.Parse(pass["flops"]) / (Parse.D(pass["wall_us"]) * 1e6) / 1307.4, Parse.D(pass["mfu_pct"]), 9);
        Assert.InRange(Parse.D(pass["mfu_pct"]), 10, 100); // prefill is compute-bound
        Assert.Equal(["36", "314572800"], Llmpipe.SqlCsv(db,
            "SELECT COUNT(*) AS n, MIN(bytes) AS bytes FROM kernel_efficiency WHERE run_id = 1 AND op_class = 'attention'")[0].Values);
    }
}
