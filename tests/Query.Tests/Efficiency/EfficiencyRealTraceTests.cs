using System.Text.Json;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Efficiency;

/// <summary>
/// FLOPs, bytes, achieved TFLOP/s, MFU and MBU on real traces (issue 20), checked against values computed by hand and
/// against TraceLens's public reports for the same traces (AMD-AGI/TraceLens 171dd747,
/// tests/traces/compare_test_e2e/reference/h100_perf_report_csvs/GEMM.csv, SDPA_fwd.csv and
/// tests/traces/inference/sglang_decode/perf_csvs/GEMM.csv).
/// </summary>
[Trait("Category", "Slow")]
public sealed class EfficiencyRealTraceTests
{
    private const string H100 = "tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz";
    private const string Mi300 = "tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz";
    private const string SglangDecode = "tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz";

    private static JsonElement Sql(string db, string sql)
    {
        var r = Llmpipe.Run("sql", sql, "--format", "json", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return Parse.Json(r.Stdout);
    }

    private static string Ingest(TempDir dir, params string[] args)
    {
        var db = dir.File("eff.db");
        var r = Llmpipe.Run([.. (string[])["ingest"], .. args, "--db", db, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return db;
    }

    [SkippableFact]
    public void H100_qwen_ops_have_hand_computed_flops_and_bytes()
    {
        var trace = SharedData.RequireTrace(H100);
        using var dir = new TempDir();
        var db = Ingest(dir, trace);
        var rows = Sql(db, """
            SELECT op_name, formula, MIN(flops) AS flops, MAX(flops) AS max_flops, MIN(bytes) AS bytes, MAX(bytes) AS max_bytes,
                   COUNT(*) AS n, MIN(compute_dtype) AS dtype, AVG(achieved_tflops) AS tflops
            FROM kernel_efficiency WHERE run_id = 1 AND flops > 0 GROUP BY op_name, formula
            """).EnumerateArray().ToDictionary(r => r.GetProperty("op_name").GetString() + " " + r.GetProperty("formula").GetString());

        void Check(string key, long flops, long bytes, string dtype, double traceLensTflops)
        {
            Assert.True(rows.TryGetValue(key, out var r), key + " missing: " + string.Join("; ", rows.Keys));
            Assert.Equal(flops, r.GetProperty("flops").GetInt64());
            Assert.Equal(flops, r.GetProperty("max_flops").GetInt64());
            Assert.Equal(bytes, r.GetProperty("bytes").GetInt64());
            Assert.Equal(bytes, r.GetProperty("max_bytes").GetInt64());
            Assert.Equal(dtype, r.GetProperty("dtype").GetString());
            // TraceLens's TFLOP/s per shape (mean over calls) within 5 %: it counts an op's memset kernels in the
            // op's time, we give the GEMM kernel alone its FLOPs.
            Assert.InRange(r.GetProperty("tflops").GetDouble() / traceLensTflops, 0.95, 1.05);
        }

        // aten::mm [8944,1024] x [1024,2816] bf16: 2*M*N*K; bytes (M*K + K*N + M*N) * 2.
        Check("aten::mm 2*M*N*K M=8944 N=2816 K=1024", 2L * 8944 * 2816 * 1024, (8944L * 1024 + 1024L * 2816 + 8944L * 2816) * 2, "bf16", 610.6657102342793);
        // aten::mm [8944,2816] x [2816,1024]
        Check("aten::mm 2*M*N*K M=8944 N=1024 K=2816", 2L * 8944 * 1024 * 2816, (8944L * 2816 + 2816L * 1024 + 8944L * 1024) * 2, "bf16", 674.5509897222395);
        // aten::mm [8944,1024] x [1024,1024] (no bias)
        Check("aten::mm 2*M*N*K M=8944 N=1024 K=1024", 2L * 8944 * 1024 * 1024, (8944L * 1024 + 1024L * 1024 + 8944L * 1024) * 2, "bf16", 578.5261168808248);
        // aten::addmm bias [1024] + [8944,1024] x [1024,1024]: 2*M*N*K + M*N; bytes add the bias N * 2.
        Check("aten::addmm 2*M*N*K+M*N M=8944 N=1024 K=1024", 2L * 8944 * 1024 * 1024 + 8944L * 1024,
            (1024L + 8944L * 1024 + 1024L * 1024 + 8944L * 1024) * 2, "bf16", 580.1844380894671);
        // causal flash attention, q/k/v [16,559,16,64] bf16: 4*B*H*S*S*d / 2; bytes q + k + v + o.
        Check("aten::_flash_attention_forward 2*B*H*Sq*Sk*(d_qk+d_v)/2 (causal) B=16 H=16 Sq=559 Sk=559 d_qk=64 d_v=64",
            4L * 16 * 16 * 559 * 559 * 64 / 2, 4L * 16 * 559 * 16 * 64 * 2, "bf16", 90.28922364189224);
        // aten::bmm [1,32,1] x [1,1,559] fp32: 2*B*M*N*K; bytes (32 + 559 + 32*559) * 4; fp32 peak.
        Check("aten::bmm 2*B*M*N*K B=1 M=32 N=559 K=1", 2L * 32 * 559, (32L + 559 + 32L * 559) * 4, "fp32", 0.01016357996948259);

        // TraceLens GFLOPs per call, to 0.1 %: 51.581550592, 18.766086144 (addmm), 18.756927488 (mm), 10.239377408 (SDPA).
        Assert.Equal(51.581550592e9, rows["aten::mm 2*M*N*K M=8944 N=2816 K=1024"].GetProperty("flops").GetInt64(), 1e6);
        Assert.Equal(18.766086144e9, rows["aten::addmm 2*M*N*K+M*N M=8944 N=1024 K=1024"].GetProperty("flops").GetInt64(), 1e6);

        // An elementwise op has bytes only: aten::silu [16,559,2816] bf16 reads and writes it once each.
        var silu = Sql(db, "SELECT DISTINCT flops, bytes, bound FROM kernel_efficiency WHERE run_id = 1 AND op_name = 'aten::silu'").EnumerateArray().Single();
        Assert.Equal(0, silu.GetProperty("flops").GetInt64());
        Assert.Equal(2L * 16 * 559 * 2816 * 2, silu.GetProperty("bytes").GetInt64());
        Assert.Equal("memory", silu.GetProperty("bound").GetString());
    }

    [SkippableFact]
    public void Pass_efficiency_on_h100_and_mi300x_uses_their_dense_bf16_peaks_and_mfu_is_a_percentage()
    {
        var h100 = SharedData.RequireTrace(H100);
        var mi300 = SharedData.RequireTrace(Mi300);
        using var dir = new TempDir();
        var db = Ingest(dir, h100, mi300);
        var passes = Sql(db, "SELECT run_id, peak_dtype, peak_tflops, peak_gbps, mfu_pct, mbu_pct, flops FROM pass_efficiency WHERE flops > 0 ORDER BY run_id")
            .EnumerateArray().ToList();
        Assert.Equal(2, passes.Count);
        Assert.Equal(989.4, passes[0].GetProperty("peak_tflops").GetDouble());  // H100 SXM dense bf16 (datasheet)
        Assert.Equal(3350, passes[0].GetProperty("peak_gbps").GetDouble());
        Assert.Equal(1307.4, passes[1].GetProperty("peak_tflops").GetDouble()); // MI300X dense bf16 (datasheet)
        Assert.Equal(5300, passes[1].GetProperty("peak_gbps").GetDouble());
        foreach (var p in passes)
        {
            Assert.Equal("bf16", p.GetProperty("peak_dtype").GetString());
            Assert.InRange(p.GetProperty("mfu_pct").GetDouble(), 1, 100);
            Assert.InRange(p.GetProperty("mbu_pct").GetDouble(), 1, 100);
        }
        // The same model and shapes on both GPUs: the same GEMM and attention FLOPs per full pass.
        Assert.Equal(passes[0].GetProperty("flops").GetInt64(), passes[1].GetProperty("flops").GetInt64());
    }

    [SkippableFact]
    public void Sglang_decode_gemm_flops_with_the_capture_equal_tracelens_total()
    {
        var trace = SharedData.RequireTrace(SglangDecode);
        var capture = SharedData.RequireCapture("tracelens/sglang_decode");
        using var dir = new TempDir();
        var db = Ingest(dir, trace, "--capture-traces", capture);
        var gemm = Sql(db, "SELECT SUM(flops) AS flops, COUNT(*) AS n FROM kernel_efficiency WHERE run_id = 1 AND op_class = 'gemm'").EnumerateArray().Single();
        // TraceLens GEMM.csv: per layer 6.442450944 + 3.221225472 + 1.610612736 + 1.073741824 GFLOPs x 36 layers,
        // plus lm_head 39.829110784 (aten::mm 32 x 4096 x 151936): each GEMM kernel once.
        const long perLayer = 2L * 32 * 4096 * (24576 + 6144 + 4096) + 2L * 32 * 12288 * 4096;
        Assert.Equal(36 * perLayer + 2L * 32 * 4096 * 151936, gemm.GetProperty("flops").GetInt64());
        Assert.Equal(484_358_225_920L, gemm.GetProperty("flops").GetInt64());
        Assert.Equal(36 * 4 + 1, gemm.GetProperty("n").GetInt32());
        var pass = Sql(db, "SELECT peak_tflops, mfu_pct, mbu_pct FROM pass_efficiency WHERE run_id = 1").EnumerateArray().Single();
        Assert.Equal(1307.4, pass.GetProperty("peak_tflops").GetDouble());
        Assert.InRange(pass.GetProperty("mfu_pct").GetDouble(), 0.1, 10); // decode: a few per cent at most
        Assert.InRange(pass.GetProperty("mbu_pct").GetDouble(), 1, 100);
    }

    [SkippableFact]
    public void Unknown_gpu_leaves_efficiency_null_with_one_warning_and_gpu_specs_overrides_it()
    {
        var trace = SharedData.RequireTrace("tracelens/inference/vllm_decode_full/graph_execution.json.gz");
        using var dir = new TempDir();
        var db = Ingest(dir, trace);
        Assert.Equal(0, Sql(db, "SELECT COUNT(*) AS n FROM gpu_peaks").EnumerateArray().Single().GetProperty("n").GetInt32());
        var warnings = Sql(db, "SELECT kind, count, detail FROM ingest_warnings WHERE kind = 'unknown_gpu'").EnumerateArray().ToList();
        Assert.Single(warnings);
        Assert.Contains("unknown GPU ''", warnings[0].GetProperty("detail").GetString());

        // --gpu-specs replaces the entry of the same name (here the H100 SXM's).
        var h100 = SharedData.RequireTrace(H100);
        var specs = dir.File("specs.json");
        File.WriteAllText(specs, """{"gpus": [{"name": "NVIDIA H100 SXM", "patterns": ["H100"], "memory_gbps": 1000, "tflops": {"bf16": 100}}]}""");
        var db2 = dir.File("eff2.db");
        Assert.Equal(0, Llmpipe.Run("ingest", h100, "--gpu-specs", specs, "--db", db2, "--quiet").ExitCode);
        var peaks = Sql(db2, "SELECT dtype, peak_tflops, peak_gbps FROM gpu_peaks WHERE run_id = 1").EnumerateArray().Single();
        Assert.Equal(100, peaks.GetProperty("peak_tflops").GetDouble());
        Assert.Equal(1000, peaks.GetProperty("peak_gbps").GetDouble());
    }
}
