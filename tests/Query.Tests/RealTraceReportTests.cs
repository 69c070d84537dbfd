using System.IO.Compression;
using System.Text.Json;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>Reports on a real trace ingested through the real CLI (issue 3 acceptance).</summary>
[Trait("Category", "Slow")]
public sealed class RealTraceReportTests
{
    private const string SglangDecode = "tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz";

    [SkippableFact]
    public void Layers_on_sglang_decode_has_36_rows_and_layer_sums_plus_prologue_epilogue_equal_the_pass()
    {
        var trace = SharedData.RequireTrace(SglangDecode);
        using var dir = new TempDir();
        var db = dir.File("real.db");
        var ingest = Llmpipe.Run("ingest", trace, "--num-layers", "36", "--db", db, "--quiet");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        Assert.StartsWith("run 1:", ingest.Stdout);

        var layers = Llmpipe.Run("layers", "--run", "1", "--format", "csv", "--db", db);
        Assert.Equal(0, layers.ExitCode);
        var parts = Parse.Csv(layers.Stdout);
        Assert.Equal(36, parts.Count(p => p["part"] == "layer"));
        // the pass's other parts: its prologue before layer 0's input norm, its epilogue after the last layer
        Assert.Equal(["prologue", "epilogue"], parts.Where(p => p["part"] != "layer").Select(p => p["part"]));

        var check = Parse.Json(Llmpipe.Run("sql", """
            SELECT p.pass_idx,
                   (SELECT SUM(dur_ns) FROM kernels k WHERE k.run_id = 1 AND k.pass_idx = p.pass_idx) AS kernels_ns,
                   (SELECT SUM(dur_ns) FROM kernels k WHERE k.run_id = 1 AND k.pass_idx = p.pass_idx AND k.role IN ('prologue', 'epilogue')) AS outside_ns,
                   (SELECT SUM(sum_ms) FROM layer_detail d WHERE d.run_id = 1 AND d.pass_idx = p.pass_idx) AS layers_sum_ms,
                   p.sum_us
            FROM passes p WHERE p.run_id = 1
            """, "--format", "json", "--db", db).Stdout);
        foreach (var row in check.EnumerateArray())
        {
            var kernelsNs = row.GetProperty("kernels_ns").GetInt64();
            var outsideNs = row.GetProperty("outside_ns").ValueKind == JsonValueKind.Null ? 0 : row.GetProperty("outside_ns").GetInt64();
            Assert.Equal(kernelsNs / 1e6, row.GetProperty("layers_sum_ms").GetDouble() + outsideNs / 1e6, 6);
            Assert.Equal(kernelsNs / 1e3, row.GetProperty("sum_us").GetDouble(), 3);
        }
    }

    [SkippableFact]
    public void Perfetto_times_agree_with_ts_minus_trace_start_computed_from_the_file()
    {
        var trace = SharedData.RequireTrace(SglangDecode);
        using var dir = new TempDir();
        var db = dir.File("real.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--num-layers", "36", "--db", db, "--quiet").ExitCode);
        var rows = Parse.Csv(Llmpipe.Run("perfetto", "--run", "1", "--pass", "0", "--layers", "0,35", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(3, rows.Count);

        // By hand: every kernel's ts and dur as exact decimals and as Perfetto's ns (the JSON number text parsed to the
        // nearest double, times 1000, rounded: docs/trace-format.md); trace start = the smallest ts of any event.
        var starts = new HashSet<(long PerfettoNs, decimal Us)>();
        var ends = new HashSet<(long PerfettoNs, decimal Us)>();
        var traceStart = decimal.MaxValue;
        static long PerfettoNs(JsonElement number) =>
            (long)Math.Round(double.Parse(number.GetRawText(), System.Globalization.CultureInfo.InvariantCulture) * 1000.0, MidpointRounding.AwayFromZero);
        using (var gz = new GZipStream(File.OpenRead(trace), CompressionMode.Decompress))
        using (var doc = JsonDocument.Parse(gz))
        {
            foreach (var e in doc.RootElement.GetProperty("traceEvents").EnumerateArray())
            {
                if (!e.TryGetProperty("ts", out var ts) || ts.ValueKind != JsonValueKind.Number) continue;
                var t = ts.GetDecimal();
                traceStart = Math.Min(traceStart, t);
                if (e.TryGetProperty("cat", out var cat) && cat.GetString() == "kernel")
                {
                    var dur = e.GetProperty("dur");
                    starts.Add((PerfettoNs(ts), t));
                    ends.Add((PerfettoNs(ts) + PerfettoNs(dur), t + dur.GetDecimal()));
                }
            }
        }
        foreach (var row in rows)
        {
            var perfettoStart = long.Parse(row["perfetto_start_ns"], System.Globalization.CultureInfo.InvariantCulture);
            var perfettoEnd = long.Parse(row["perfetto_end_ns"], System.Globalization.CultureInfo.InvariantCulture);
            var startS = Parse.D(row["start_s"]);
            var endS = Parse.D(row["end_s"]);
            // Some kernel starts at perfetto_start_ns (Perfetto's ns) and at start_s = (ts - trace start) / 1e6 to the us.
            Assert.Contains(starts, k => k.PerfettoNs == perfettoStart && Math.Abs((double)Math.Round((k.Us - traceStart) / 1e6m, 6) - startS) < 1e-9);
            Assert.Contains(ends, k => k.PerfettoNs == perfettoEnd && Math.Abs((double)Math.Round((k.Us - traceStart) / 1e6m, 6) - endS) < 1e-9);
            Assert.EndsWith($"&visStart={perfettoStart}&visEnd={perfettoEnd}", row["url"]);
        }
    }

    [SkippableFact]
    public void Kernels_json_and_compare_layer_json_on_sglang_decode_each_parse_as_one_document()
    {
        var trace = SharedData.RequireTrace(SglangDecode);
        using var dir = new TempDir();
        var db = dir.File("real.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--num-layers", "36", "--db", db, "--quiet").ExitCode);

        var one = Llmpipe.Run("kernels", "--run", "1", "--pass", "0", "--layer", "5", "--format", "json", "--db", db);
        Assert.True(one.ExitCode == 0, one.Stderr);
        var doc = Parse.Json(one.Stdout);
        Assert.Equal(5, doc.GetProperty("metadata").GetProperty("layer_id").GetInt32());
        var durations = doc.GetProperty("kernels").EnumerateArray().Select(k => k.GetProperty("dur_us").GetDouble()).ToList();
        Assert.Equal(durations.OrderByDescending(d => d).ToList(), durations); // hotness order

        var both = Llmpipe.Run("kernels", "--run", "1", "--pass", "0", "--layer", "5", "--compare-layer", "35", "--format", "json", "--db", db);
        Assert.True(both.ExitCode == 0, both.Stderr);
        var compare = Parse.Json(both.Stdout);
        Assert.Equal(["primary", "comparison", "kernel_diff"], compare.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [SkippableFact]
    public void Out_of_range_pass_and_layer_on_sglang_decode_exit_1_with_the_valid_range()
    {
        var trace = SharedData.RequireTrace(SglangDecode);
        using var dir = new TempDir();
        var db = dir.File("real.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--num-layers", "36", "--db", db, "--quiet").ExitCode);

        var pass = Llmpipe.Run("layers", "--run", "1", "--pass", "9", "--db", db);
        Assert.Equal(1, pass.ExitCode);
        Assert.Contains("pass 9 is out of range for run 1 device 9: valid passes are 0", pass.Stderr);
        var layer = Llmpipe.Run("kernels", "--run", "1", "--pass", "0", "--layer", "36", "--db", db);
        Assert.Equal(1, layer.ExitCode);
        Assert.Contains("valid layers are 0..35", layer.Stderr);
    }

    [SkippableFact]
    public void Resegment_on_sglang_decode_changes_layers_and_keeps_every_kernel()
    {
        var trace = SharedData.RequireTrace(SglangDecode);
        using var dir = new TempDir();
        var db = dir.File("real.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--num-layers", "36", "--db", db, "--quiet").ExitCode);
        const string kernelsSql = "SELECT COUNT(*) AS n, SUM(ts_ns) AS ts, SUM(dur_ns) AS dur, SUM(kernel_idx * (ts_ns % 1000003)) AS mix FROM kernels WHERE run_id = 1";
        var before = Llmpipe.Run("sql", kernelsSql, "--format", "csv", "--db", db).Stdout;

        var r = Llmpipe.Run("resegment", "--run", "1", "--num-layers", "18", "--db", db);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(before, Llmpipe.Run("sql", kernelsSql, "--format", "csv", "--db", db).Stdout);
        var layers = Parse.Csv(Llmpipe.Run("layers", "--run", "1", "--pass", "0", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(18, layers.Count(p => p["part"] == "layer"));
        var passes = Parse.Csv(Llmpipe.Run("sql", "SELECT COUNT(*) AS n FROM passes WHERE run_id = 1", "--format", "csv", "--db", db).Stdout);
        Assert.Equal("2", passes[0]["n"]); // 36 anchor blocks of one decode step = 2 passes of 18
    }
}
