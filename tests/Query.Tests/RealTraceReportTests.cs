using System.IO.Compression;
using System.Text.Json;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>Reports on a real trace ingested through the real CLI (issue 3 acceptance).</summary>
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
        Assert.Equal(36, Parse.Csv(layers.Stdout).Count);

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

        // By hand: every ts in the file as an exact decimal; trace start = the smallest.
        var kernelTs = new HashSet<decimal>();
        var kernelEnds = new HashSet<decimal>();
        var traceStart = decimal.MaxValue;
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
                    kernelTs.Add(t);
                    kernelEnds.Add(t + e.GetProperty("dur").GetDecimal());
                }
            }
        }
        foreach (var row in rows)
        {
            var startUs = decimal.Parse(row["perfetto_start_ns"], System.Globalization.CultureInfo.InvariantCulture) / 1000m;
            var endUs = decimal.Parse(row["perfetto_end_ns"], System.Globalization.CultureInfo.InvariantCulture) / 1000m;
            Assert.Contains(startUs, kernelTs);
            Assert.Contains(endUs, kernelEnds);
            Assert.Equal((double)Math.Round((startUs - traceStart) / 1e6m, 6), Parse.D(row["start_s"]), 9);
            Assert.Equal((double)Math.Round((endUs - traceStart) / 1e6m, 6), Parse.D(row["end_s"]), 9);
        }
    }
}
