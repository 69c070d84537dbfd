using System.Globalization;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Efficiency;

/// <summary>
/// The tensor-parallel rule of the config-derived work (issue 20) end to end: the TraceLens B200 trace is rank 0 of a
/// vLLM gpt-oss-120b TP-8 prefill (distributedInfo world_size 8, multimem all-reduce kernels inside every layer), so
/// config_work holds one rank's share, and the rank's own GEMM shapes in the trace agree with it.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TensorParallelWorkRealTraceTests
{
    [SkippableFact]
    public void B200_gpt_oss_120b_rank_gets_an_eighth_of_heads_experts_and_vocab()
    {
        var trace = SharedData.RequireTrace("tracelens/b200/eager_trace.json.gz");
        var config = SharedData.RequireConfig("tenstorrent_tt-metal/models/demos/gpt_oss/configs/gpt-oss-120b/config.json");
        using var dir = new TempDir();
        var db = dir.File("tp.db");
        var r = Llmpipe.Run("ingest", trace, "--config", config, "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["0", "8"], Llmpipe.SqlCsv(db, "SELECT rank, world_size FROM runs")[0].Values);

        // gpt-oss-120b: H 2880, 64 heads and 8 KV heads of d 64, 128 experts of I 2880, top 4, V 201,088, bf16.
        // Per rank of tp 8: 8 heads, 1 KV head. QKV 2880 x (8 + 2*1)*64 = 1,843,200 and O 8*64 x 2880 = 1,474,560
        // weights; router 2880 x 128 = 368,640 (replicated); one expert 3 x 2880 x 2880 / 8 = 3,110,400.
        const long always = 1_843_200 + 1_474_560 + 368_640;
        const long expert = 3L * 2880 * 2880 / 8;
        var layers = Llmpipe.SqlCsv(db, """
            SELECT layer_idx, flops_per_token, weight_bytes, expert_bytes, routed_experts, top_k,
                   COALESCE(attn_flops_per_sq_sk, '') AS pair, COALESCE(kv_bytes_per_sk, '') AS kv, COALESCE(sliding_window, '') AS window
            FROM config_work WHERE run_id = 1 ORDER BY layer_idx
            """);
        Assert.Equal(37, layers.Count);
        // lm_head: ceil(201088 / 8) = 25,136 vocabulary rows on the rank.
        Assert.Equal(["-1", (2L * 2880 * 25136).ToString(), (2880L * 25136 * 2).ToString(), "0", "0", "0", "", "", ""], layers[0].Values);
        // Attention per query-key pair 2 * 8 * (64 + 64) = 2,048 FLOPs, KV read 1 * 128 * 2 = 256 B per key token;
        // layer_types alternate sliding (window 128) and full attention.
        foreach (var (l, i) in layers.Skip(1).Select((l, i) => (l, i)))
            Assert.Equal([i.ToString(), (2 * (always + 4 * expert)).ToString(), (always * 2).ToString(), (expert * 2).ToString(), "128", "4",
                "2048", "256", i % 2 == 0 ? "128" : ""], l.Values);
        Assert.Equal("32256000", layers[1]["flops_per_token"]);
        Assert.Contains("tp=8", Llmpipe.SqlCsv(db, "SELECT formula FROM config_work WHERE run_id = 1 AND layer_idx = 0")[0]["formula"]);

        // The rank's GEMMs as the trace records them, for the 888 tokens of the step: QKV [888, 2880] x [2880, 640],
        // O [888, 512] x [512, 2880] and the router [888, 2880] x [2880, 128], each with its bias. They are the config's
        // per-rank dense work, 888 * 2 * 3,686,400, plus the biases 888 * (640 + 2880 + 128).
        const long layerShapes = 888L * 2 * always + 888L * (640 + 2880 + 128);
        Assert.Equal(6_550_285_824L, layerShapes);
        var rows = Llmpipe.SqlCsv(db, "SELECT flops, flops_source FROM layer_efficiency WHERE run_id = 1");
        Assert.Equal(36, rows.Count);
        Assert.All(rows, x => Assert.Equal((layerShapes.ToString(), "shapes"), (x["flops"], x["flops_source"])));

        // The pass: 36 layers + lm_head, which vLLM runs for the sequence's last token only ([1, 2880] x [2880, 25136]),
        // against the B200's dense bf16 peak 2250 TFLOP/s. The step's MoE (vllm::moe_forward, whose shapes hold no
        // expert weights) and its attention (no lengths in execute_context_1(888_788544)_generation_0(0)) add nothing.
        var pass = Assert.Single(Llmpipe.SqlCsv(db, "SELECT phase, flops, wall_us, peak_dtype, peak_tflops, mfu_pct, flops_source FROM pass_efficiency WHERE run_id = 1"));
        const long passFlops = 36 * layerShapes + 2L * 1 * 2880 * 25136;
        Assert.Equal(235_955_073_024L, passFlops);
        Assert.Equal(("prefill", passFlops.ToString(), "bf16", "2250", "shapes"),
            (pass["phase"], pass["flops"], pass["peak_dtype"], pass["peak_tflops"], pass["flops_source"]));
        var wallUs = double.Parse(pass["wall_us"], CultureInfo.InvariantCulture);
        Assert.Equal(100.0 * passFlops / (wallUs * 1e6) / 2250, double.Parse(pass["mfu_pct"], CultureInfo.InvariantCulture), 9);
    }
}
