using System.Text.Json;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Query.Tests.Runs;

public sealed class SkewCommandTests
{
    private static readonly TraceSpec Spec = new() { Shape = TraceShape.Generic, NumLayers = 4, Passes = 3, WorldSize = 4, IncludeCpuSide = false };

    [Fact]
    public void Skew_names_the_slow_rank_for_every_layer_and_its_spread_equals_the_injected_delay()
    {
        using var dir = new TempDir();
        var traces = Path.Combine(dir.Path, "capture");
        // No jitter and back-to-back kernels: every rank's layer wall is exactly its kernels' sum, so the spread can be
        // compared with the injected delay itself.
        TraceWriter.WriteRankFiles(Spec with { JitterFraction = 0, KernelGapUs = 0 }, traces, gzip: true, new Dictionary<int, double> { [2] = 1.2 });
        var db = dir.File("skew.db");
        var ingest = Llmpipe.Run("ingest", traces, "--num-layers", "4", "--db", db, "--quiet");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        Assert.Contains("capture 1 (rank-*.pt.trace.json.gz): rank 0 = run 1, rank 1 = run 2, rank 2 = run 3, rank 3 = run 4; world size 4", ingest.Stdout);

        var skew = Llmpipe.Run("skew", "--capture", "1", "--pass", "1", "--format", "csv", "--db", db);
        Assert.True(skew.ExitCode == 0, skew.Stderr);
        var rows = Parse.Csv(skew.Stdout);
        Assert.Equal(4, rows.Count);

        // Independently: each rank's layer wall from its kernels (latest end - earliest start of the layer's kernels).
        var walls = Parse.Json(Llmpipe.Run("sql", """
            SELECT r.rank, k.layer_idx, MAX(k.ts_ns + k.dur_ns) - MIN(k.ts_ns) AS wall_ns, SUM(k.dur_ns) AS sum_ns
            FROM kernels k JOIN runs r ON r.run_id = k.run_id
            WHERE k.pass_idx = 1 AND k.role = 'layer' GROUP BY r.rank, k.layer_idx
            """, "--format", "json", "--db", db).Stdout).EnumerateArray()
            .ToDictionary(e => (e.GetProperty("rank").GetInt64(), e.GetProperty("layer_idx").GetInt64()),
                e => (Wall: e.GetProperty("wall_ns").GetInt64(), Sum: e.GetProperty("sum_ns").GetInt64()));
        foreach (var row in rows)
        {
            var layer = long.Parse(row["layer_idx"]);
            Assert.Equal("2", row["slowest_rank"]);
            var perRank = Enumerable.Range(0, 4).Select(r => walls[(r, layer)].Wall).ToList();
            var spreadNs = perRank.Max() - perRank.Min();
            Assert.Equal(spreadNs / 1e3, Parse.D(row["spread_us"]), 6);
            Assert.Equal(walls[(2, layer)].Wall / 1e3, Parse.D(row["rank_2_wall_us"]), 6);
            // The injected delay: rank 2's compute kernels take 1.2x (collectives keep their time), so rank 2 spends
            // sum2 - sum0 more in the layer; with no jitter and no gaps the spread equals exactly that extra time
            // (up to 1 ns per kernel of rounding when durations are written to the ns).
            var injectedNs = walls[(2, layer)].Sum - walls[(0, layer)].Sum;
            Assert.True(injectedNs > 0.1 * walls[(0, layer)].Sum, "rank 2 is at least 10 % slower");
            Assert.InRange(spreadNs, injectedNs - 20, injectedNs + 20);
            Assert.True(Parse.D(row["rank_0_comm_us"]) > 0, "every layer holds two AllReduce kernels");
        }
        var runs = Parse.Csv(Llmpipe.Run("runs", "--format", "csv", "--db", db).Stdout);
        Assert.All(runs, r => Assert.Equal("0", r["time_offset_ns"]));
        Assert.StartsWith("base_time_ns", runs[1]["time_alignment"]);
    }

    [Fact]
    public void Skew_of_an_unknown_capture_is_an_error_listing_none()
    {
        using var fixture = new FixtureDatabase();
        var r = fixture.Run("skew", "--capture", "7");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("capture 7 does not exist", r.Stderr);
    }
}
