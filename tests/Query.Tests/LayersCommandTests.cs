using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class LayersCommandTests
{
    [Fact]
    public void Layers_default_pass_is_first_pass_followed_by_two_steady_state_passes()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("layers", "--run", "1", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        // The notes are computed from the walls, not read from passes.note: every pass's layer 0 lasts 31 us, so
        // passes 1 and 2 are steady-state after pass 0 -> pass 0.
        Assert.StartsWith("pass 0 chosen: among the 4 decode pass(es) (the most common phase): pass 0 is the first complete pass whose next two passes are steady-state", r.Stderr);
    }

    [Fact]
    public void Layers_prints_one_row_per_layer_with_hand_computed_times_and_group_pivot()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("layers", "--run", "1", "--pass", "2", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var header = r.Stdout.Split("\r\n")[0];
        // group columns ordered by the pass's time per group: gemm 24 us, attention 22, comm 10, norm 6.
        Assert.Equal("part,layer_idx,compress_ratio,layer_type,wall_ms,sum_ms,busy_ms,idle_ms,exposed_comm_ms,gemm_ms,attention_ms,comm_ms,norm_ms,comm_count,kernel_count", header);
        var rows = Parse.Csv(r.Stdout);
        Assert.Equal(2, rows.Count);
        var l0 = rows[0];
        Assert.Equal("0", l0["layer_idx"]);
        Assert.Equal("", l0["compress_ratio"]);
        Assert.Equal("MIDDLE", l0["layer_type"]);
        Assert.Equal(0.031, Parse.D(l0["wall_ms"]), 12);
        Assert.Equal(0.036, Parse.D(l0["sum_ms"]), 12);
        Assert.Equal(0.030, Parse.D(l0["busy_ms"]), 12); // two streams overlap: union 1020..1042 + 1043..1051 us
        Assert.Equal(0.001, Parse.D(l0["idle_ms"]), 12);
        Assert.Equal(0.002, Parse.D(l0["exposed_comm_ms"]), 12);
        Assert.Equal(0.016, Parse.D(l0["gemm_ms"]), 12);
        Assert.Equal(0.010, Parse.D(l0["attention_ms"]), 12);
        Assert.Equal(0.006, Parse.D(l0["comm_ms"]), 12);
        Assert.Equal(0.004, Parse.D(l0["norm_ms"]), 12);
        Assert.Equal("1", l0["comm_count"]);
        Assert.Equal("6", l0["kernel_count"]);
        var l1 = rows[1];
        Assert.Equal(0.026, Parse.D(l1["wall_ms"]), 12);
        Assert.Equal(0.008, Parse.D(l1["gemm_ms"]), 12);
        Assert.Equal(0.012, Parse.D(l1["attention_ms"]), 12);
        Assert.Equal(0.004, Parse.D(l1["comm_ms"]), 12);
        Assert.Equal(0.002, Parse.D(l1["norm_ms"]), 12);
        Assert.Equal("4", l1["kernel_count"]);
    }

    [Fact]
    public void Layers_rejects_pass_out_of_range_with_the_valid_range()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("layers", "--run", "1", "--pass", "9");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("pass 9 is out of range for run 1 device 0: valid passes are 0..3", r.Stderr);
    }

    [Fact]
    public void Layers_rejects_unknown_device_with_the_valid_devices()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("layers", "--run", "1", "--device", "4");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("device 4 is not in run 1; valid devices: 0", r.Stderr);
    }

    [Fact]
    public void Layers_without_run_is_a_usage_error()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("layers");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--run", r.Stderr);
    }

    [Fact]
    public void Layers_with_unknown_format_is_a_usage_error()
    {
        using var db = new FixtureDatabase();
        Assert.Equal(2, db.Run("layers", "--run", "1", "--format", "xml").ExitCode);
    }

    [Fact]
    public void Layers_table_format_aligns_columns_and_text_is_a_synonym()
    {
        using var db = new FixtureDatabase();
        var table = db.Run("layers", "--run", "1", "--pass", "0");
        var text = db.Run("layers", "--run", "1", "--pass", "0", "--format", "text");
        Assert.Equal(table.Stdout, text.Stdout);
        var lines = table.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length); // header, rule, two layers
        Assert.StartsWith("part ", lines[0]);
        // compress_ratio (NULL in every row: not a DeepSeek-V4 run) is left out of the default columns; --wide shows it
        Assert.Contains("layer_idx  layer_type  wall_ms", lines[0]);
        Assert.Contains("  0.031  ", lines[2]);
        Assert.Contains("layer_idx  compress_ratio  layer_type  wall_ms", db.Run("layers", "--run", "1", "--pass", "0", "--wide").Stdout);
    }
}
