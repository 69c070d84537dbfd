using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class ClustersCommandTests
{
    [Fact]
    public void Clusters_averages_layers_and_gives_group_shares_of_summed_kernel_time()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("clusters", "--run", "1", "--pass", "0", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var c = Assert.Single(Parse.Json(r.Stdout).EnumerateArray());
        Assert.Equal("MIDDLE", c.GetProperty("layer_type").GetString());
        Assert.Equal(2, c.GetProperty("layer_count").GetInt64());
        Assert.Equal(0.0285, c.GetProperty("avg_wall_ms").GetDouble(), 12); // (31 + 26) / 2 us
        Assert.Equal(0.031, c.GetProperty("avg_sum_ms").GetDouble(), 12);   // (36 + 26) / 2
        Assert.Equal(0.028, c.GetProperty("avg_busy_ms").GetDouble(), 12);  // (30 + 26) / 2
        Assert.Equal(0.0005, c.GetProperty("avg_idle_ms").GetDouble(), 12);
        Assert.Equal(0.003, c.GetProperty("avg_exposed_comm_ms").GetDouble(), 12);
        Assert.Equal(24.0 / 62 * 100, c.GetProperty("gemm_pct").GetDouble(), 9);
        Assert.Equal(22.0 / 62 * 100, c.GetProperty("attention_pct").GetDouble(), 9);
        Assert.Equal(10.0 / 62 * 100, c.GetProperty("comm_pct").GetDouble(), 9);
        Assert.Equal(6.0 / 62 * 100, c.GetProperty("norm_pct").GetDouble(), 9);
    }

    [Fact]
    public void Clusters_lists_every_label_in_order_of_first_layer()
    {
        using var db = new FixtureDatabase();
        db.Execute("UPDATE layers SET layer_type = 'FIRST' WHERE layer_idx = 0; UPDATE layers SET layer_type = 'FINAL' WHERE layer_idx = 1;");
        var rows = Parse.Csv(db.Run("clusters", "--run", "1", "--pass", "0", "--format", "csv").Stdout);
        Assert.Equal(["FIRST", "FINAL"], rows.Select(x => x["layer_type"]).ToArray());
        Assert.Equal(16.0 / 36 * 100, Parse.D(rows[0]["gemm_pct"]), 9);
        Assert.Equal(8.0 / 26 * 100, Parse.D(rows[1]["gemm_pct"]), 9);
    }
}
