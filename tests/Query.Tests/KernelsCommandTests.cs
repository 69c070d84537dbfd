using System.Text.Json;
using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class KernelsCommandTests
{
    [Fact]
    public void Kernels_csv_lists_kernels_in_hotness_order_with_ties_broken_by_start_then_index()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("kernels", "--run", "1", "--pass", "0", "--layer", "0", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var rows = Parse.Csv(r.Stdout);
        // dur desc: mla 10 (idx 3); gemm 8 at 1032 (idx 4) before gemm 8 at 1043 (idx 6); allreduce 6 (idx 5);
        // rmsnorm 2 on two streams at the same ts: idx 1 before idx 2.
        Assert.Equal(["3", "4", "6", "5", "1", "2"], rows.Select(x => x["kernel_idx"]).ToArray());
        Assert.Equal(["0", "1", "2", "3", "4", "5"], rows.Select(x => x["hotness_rank"]).ToArray());
        Assert.Equal(10.0, Parse.D(rows[0]["dur_us"]), 12);
        Assert.Equal(10.0 / 36 * 100, Parse.D(rows[0]["share_pct"]), 9);
        Assert.Equal(8.0 / 36 * 100, Parse.D(rows[1]["share_pct"]), 9);
        Assert.Equal(0.032, Parse.D(rows[1]["ts_rel_ms"]), 12); // (1032000 - 1000000) ns
        Assert.Equal("[[1, 4096], [4096, 12288]]", rows[1]["input_dims"]);
        Assert.Equal("aten::mm", rows[1]["op_name"]);
        Assert.Equal("flash_fwd_mla_kernel", rows[0]["simplified_name"]);
        Assert.Equal("attention", rows[0]["category_group"]);
        Assert.Equal("1032000", rows[1]["perfetto_ts_ns"]);
    }

    [Fact]
    public void Kernels_json_is_the_reference_document_with_exact_durations()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("kernels", "--run", "1", "--pass", "1", "--layer", "0", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var doc = Parse.Json(r.Stdout);
        var meta = doc.GetProperty("metadata");
        Assert.Equal(0, meta.GetProperty("layer_id").GetInt32());
        Assert.Equal(1, meta.GetProperty("fwd_pass").GetInt32());
        Assert.Equal(-1, meta.GetProperty("compress_ratio").GetInt32());
        Assert.Equal(2, meta.GetProperty("num_layers").GetInt32());
        Assert.Equal(31.0, meta.GetProperty("wall_us").GetDouble());
        Assert.Equal(36.0, meta.GetProperty("total_dur_us").GetDouble());
        Assert.Equal(6, meta.GetProperty("num_kernels").GetInt32());
        // category_summary in order of first appearance (trace order).
        Assert.Equal(["rmsnorm", "mla", "gemm_bf16", "allreduce"], doc.GetProperty("category_summary").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(16.0, doc.GetProperty("category_summary").GetProperty("gemm_bf16").GetProperty("dur_us").GetDouble());
        Assert.Equal(2, doc.GetProperty("category_summary").GetProperty("gemm_bf16").GetProperty("count").GetInt32());
        var kernels = doc.GetProperty("kernels").EnumerateArray().ToList();
        Assert.Equal(6, kernels.Count);
        Assert.Equal("flash_fwd_mla_kernel<cutlass::bf16>", kernels[0].GetProperty("name").GetString());
        Assert.Equal("10", kernels[0].GetProperty("dur_us").GetRawText());
        Assert.Equal("1122", kernels[0].GetProperty("ts").GetRawText()); // 1022000 + 100000 ns = 1122 us
        Assert.Equal(JsonValueKind.Null, kernels[0].GetProperty("input_dims").ValueKind);
        Assert.Equal(JsonValueKind.Array, kernels[4].GetProperty("input_dims").ValueKind); // idx 1 has input dims
        Assert.Equal("full", kernels[0].GetProperty("half").GetString());
    }

    [Fact]
    public void Kernels_json_keeps_nanosecond_durations_exact()
    {
        using var db = new FixtureDatabase();
        db.Execute("UPDATE kernels SET dur_ns = 10001, ts_ns = 1712195495519695800 WHERE kernel_idx = 3;");
        var doc = Parse.Json(db.Run("kernels", "--run", "1", "--pass", "0", "--layer", "0", "--format", "json").Stdout);
        var first = doc.GetProperty("kernels")[0];
        Assert.Equal("10.001", first.GetProperty("dur_us").GetRawText());
        Assert.Equal("1712195495519695.8", first.GetProperty("ts").GetRawText());
    }

    [Fact]
    public void Kernels_compare_layer_json_is_one_document_with_kernel_diff()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("kernels", "--run", "1", "--pass", "0", "--layer", "0", "--compare-layer", "1", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var doc = Parse.Json(r.Stdout);
        Assert.Equal(0, doc.GetProperty("primary").GetProperty("metadata").GetProperty("layer_id").GetInt32());
        Assert.Equal(1, doc.GetProperty("comparison").GetProperty("metadata").GetProperty("layer_id").GetInt32());
        var diff = doc.GetProperty("kernel_diff");
        Assert.Equal(["cross_device_reduce_1stage"], diff.GetProperty("only_primary").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(["cross_device_reduce_2stage"], diff.GetProperty("only_comparison").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(3, diff.GetProperty("common_count").GetInt32());
    }

    [Fact]
    public void Kernels_table_shows_category_bars_then_kernels_and_diff()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("kernels", "--run", "1", "--pass", "0", "--layer", "0", "--compare-layer", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Layer 0 [MIDDLE] of run 1 device 0 pass 0:" + Environment.NewLine + "sum 0.036 ms, wall 0.031 ms, busy 0.030 ms, 6 kernels", r.Stdout);
        // gemm_bf16 is 44.4 % of the layer: 22 bar characters.
        var gemm = r.Stdout.Split('\n').First(l => l.StartsWith("gemm_bf16", StringComparison.Ordinal));
        Assert.EndsWith(new string('▓', 22), gemm);
        Assert.Contains("44.4", gemm);
        Assert.Contains("Kernel diff: layer 0 vs layer 1", r.Stdout);
        Assert.Contains("  Common: 3 types", r.Stdout);
        Assert.Contains("    + cross_device_reduce_2stage", r.Stdout);
    }

    [Fact]
    public void Kernels_compute_flow_prints_architecture_from_config_and_kernel_starts()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("kernels", "--run", "1", "--pass", "0", "--layer", "0", "--format", "compute-flow");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Model Architecture Summary", r.Stdout);
        Assert.Contains("Hidden: 4096, Heads: 32 (KV: 8), Head dim: 128", r.Stdout);
        Assert.Contains("FFN: dense, intermediate_size: 12288", r.Stdout);
        Assert.Contains("Layer types in this pass: MIDDLE: 2", r.Stdout);
        Assert.Contains("offset=0.020 ms", r.Stdout);
        Assert.Contains("[[1, 4096], [4096, 12288]]", r.Stdout);
        Assert.Contains("—", r.Stdout);
    }

    [Fact]
    public void Kernels_rejects_layer_out_of_range_with_the_valid_range()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("kernels", "--run", "1", "--pass", "0", "--layer", "5");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("layer 5 is out of range for run 1 device 0 pass 0: valid layers are 0..1", r.Stderr);
        var c = db.Run("kernels", "--run", "1", "--pass", "0", "--layer", "0", "--compare-layer", "2");
        Assert.Equal(1, c.ExitCode);
        Assert.Contains("valid layers are 0..1", c.Stderr);
    }
}
