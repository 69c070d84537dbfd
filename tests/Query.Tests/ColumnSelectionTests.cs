using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary><c>--columns</c> and <c>--wide</c>, shared by every report (docs/reports.md, 'Tables that fit'), on the two-layer fixture.</summary>
public sealed class ColumnSelectionTests
{
    [Fact]
    public void Columns_picks_the_table_columns_in_the_order_given()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("timeline", "--run", "1", "--columns", "phase,pass_idx");
        Assert.Equal(0, r.ExitCode);
        // the fixture's phase is "decode": a 6-character column
        Assert.Equal("phase   pass_idx", r.Stdout.Split('\n')[0].TrimEnd());
    }

    [Fact]
    public void An_unknown_column_is_a_usage_error_listing_the_valid_ones()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("windows", "--columns", "run_id,wall_s");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--columns: unknown column 'wall_s'; valid columns: run_id, device, window_idx, first_pass_idx, last_pass_idx, pass_count, phase, steady_pass_count, wall_ms, mean_wall_ms", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Columns_and_wide_exclude_each_other()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("runs", "--columns", "run_id", "--wide");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--columns and --wide exclude each other", r.Stderr);
    }

    [Fact]
    public void Timeline_leaves_out_wall_ms_and_an_empty_replay_coverage_by_default_and_csv_keeps_every_column()
    {
        using var db = new FixtureDatabase();
        var table = db.Run("timeline", "--run", "1").Stdout.Split('\n')[0];
        // The fixture's runs have no graph replays: replay_coverage is empty in every row, so the default leaves it out
        // and start_s and kernel_count (added while they fit) take its room.
        Assert.Equal(["run_id", "device", "pass_idx", "start_s", "duration_ms", "note", "layer_count", "kernel_count", "phase"],
            table.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var wide = db.Run("timeline", "--run", "1", "--wide").Stdout.Split('\n')[0];
        Assert.Contains("busy_ms", wide);
        Assert.Contains("replay_coverage", wide);
        Assert.Equal(["pass_idx", "replay_coverage"], db.Run("timeline", "--run", "1", "--columns", "pass_idx,replay_coverage").Stdout
            .Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("wall_ms", wide); // duration_ms is the same value
        var csv = Parse.Csv(db.Run("timeline", "--run", "1", "--format", "csv").Stdout);
        Assert.Equal(["run_id", "device", "pass_idx", "start_s", "end_s", "duration_ms", "avg_layer_ms", "first_layer_ms", "note",
                "layer_count", "kernel_count", "is_partial", "phase", "sum_ms", "busy_ms", "idle_ms", "exposed_comm_ms", "batch_size",
                "token_count", "is_outlier", "outlier_reason", "phase_source", "parts_overlap_ms", "kernel_coverage_ratio",
                "coverage_note", "replay_coverage"],
            csv[0].Keys);
    }

    [Fact]
    public void The_kernels_view_carries_name_and_simplified_name()
    {
        using var db = new FixtureDatabase();
        var rows = Llmpipe.SqlCsv(db.Path, "SELECT kernel_idx, name, simplified_name FROM kernels WHERE run_id = 1 AND kernel_idx IN (0, 1) ORDER BY kernel_idx");
        Assert.Equal(["embedding_kernel<float>", "rms_norm_kernel<bf16, 128>"], rows.Select(r => r["name"]));
        Assert.Equal(["embedding_kernel", "rms_norm_kernel"], rows.Select(r => r["simplified_name"]));
    }
}
