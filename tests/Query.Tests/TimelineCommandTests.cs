using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class TimelineCommandTests
{
    [Fact]
    public void Timeline_prints_every_pass_with_times_relative_to_trace_start()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("timeline", "--run", "1", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var rows = Parse.Csv(r.Stdout);
        Assert.Equal(4, rows.Count);
        // pass 2: start 1010000 + 200000 ns - trace start 1000000 = 210000 ns.
        var p2 = rows[2];
        Assert.Equal("2", p2["pass_idx"]);
        Assert.Equal(0.00021, Parse.D(p2["start_s"]), 12);
        Assert.Equal(0.000293, Parse.D(p2["end_s"]), 12);
        Assert.Equal(0.083, Parse.D(p2["duration_ms"]), 12);
        Assert.Equal(0.0285, Parse.D(p2["avg_layer_ms"]), 12); // mean layer wall: (31 + 26 us) / 2 layers
        Assert.Equal(0.031, Parse.D(p2["first_layer_ms"]), 12);
        Assert.Equal("steady-state", p2["note"]);
        Assert.Equal("12", p2["kernel_count"]);
        Assert.Equal(0.064, Parse.D(p2["busy_ms"]), 12);
        Assert.Equal(0.019, Parse.D(p2["idle_ms"]), 12);
        Assert.Equal(0.006, Parse.D(p2["exposed_comm_ms"]), 12);
        Assert.Equal("cold-start", rows[0]["note"]);
        Assert.Equal("", rows[1]["note"]);
    }

    [Fact]
    public void Timeline_rejects_unknown_run_with_valid_ids()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("timeline", "--run", "9");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("run 9 does not exist", r.Stderr);
        Assert.Contains("valid run ids: 1", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Runs_lists_metadata_and_pass_counts()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("runs", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var run = Assert.Single(Parse.Json(r.Stdout).EnumerateArray());
        Assert.Equal(1, run.GetProperty("run_id").GetInt64());
        Assert.Equal("Qwen3-8B", run.GetProperty("model").GetString());
        Assert.Equal(4, run.GetProperty("pass_count").GetInt64());
        Assert.Equal(4, run.GetProperty("complete_pass_count").GetInt64());
        Assert.Equal(1, run.GetProperty("device_count").GetInt64());
        Assert.Equal(1, run.GetProperty("warning_count").GetInt64());
    }

    [Fact]
    public void Runs_fails_with_message_when_database_is_missing()
    {
        using var db = new FixtureDatabase();
        var r = Llmpipe.Run("runs", "--db", db.File("absent.db"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no such database", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
