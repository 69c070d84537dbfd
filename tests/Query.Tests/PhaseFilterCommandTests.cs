using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>Issue 4: <c>--phase</c> on every per-pass report, the default pass among the most common phase, outliers in timeline.</summary>
public sealed class PhaseFilterCommandTests
{
    private static FixtureDatabase Phased()
    {
        var db = new FixtureDatabase();
        db.Execute("""
            UPDATE passes SET phase = 'prefill', phase_source = 'user_annotation ''step[EXTEND bs=2 toks=512]''', batch_size = 2, token_count = 512 WHERE pass_idx = 0;
            UPDATE passes SET phase = 'mixed' WHERE pass_idx = 3;
            UPDATE passes SET is_outlier = 1, outlier_reason = 'outlier: wall 9 ms is 2.5x the median' WHERE pass_idx = 3;
            """);
        return db;
    }

    [Fact]
    public void Timeline_phase_keeps_only_passes_of_that_phase_and_shows_outlier_reasons()
    {
        using var db = Phased();
        var decode = Parse.Csv(db.Run("timeline", "--run", "1", "--phase", "decode", "--format", "csv").Stdout);
        Assert.Equal(["1", "2"], decode.Select(r => r["pass_idx"]));
        var all = Parse.Csv(db.Run("timeline", "--run", "1", "--format", "csv").Stdout);
        Assert.Equal("1", all[3]["is_outlier"]);
        Assert.Equal("outlier: wall 9 ms is 2.5x the median", all[3]["outlier_reason"]);
        Assert.Equal("2", all[0]["batch_size"]);
        Assert.Equal("512", all[0]["token_count"]);
        Assert.Equal("user_annotation 'step[EXTEND bs=2 toks=512]'", all[0]["phase_source"]);
    }

    [Fact]
    public void Layers_default_pass_comes_from_the_most_common_phase_or_the_requested_one()
    {
        using var db = Phased();
        var r = db.Run("layers", "--run", "1", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("pass 2 chosen: among the 2 decode pass(es) (the most common phase): no complete pass is followed by two steady-state passes", r.Stderr);
        r = db.Run("layers", "--run", "1", "--phase", "prefill", "--format", "csv");
        Assert.StartsWith("pass 0 chosen: among the 1 prefill pass(es)", r.Stderr);
        r = db.Run("clusters", "--run", "1", "--phase", "mixed", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("pass 3 chosen: among the 1 mixed pass(es)", r.Stderr);
    }

    [Fact]
    public void Layers_rejects_a_pass_of_another_phase_naming_the_passes_of_the_phase()
    {
        using var db = Phased();
        var r = db.Run("layers", "--run", "1", "--pass", "0", "--phase", "decode");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("pass 0 of run 1 device 0 is prefill, not decode; decode passes: 1..2", r.Stderr);
    }

    [Fact]
    public void Top_and_perfetto_and_kernels_take_the_phase()
    {
        using var db = Phased();
        var top = db.Run("top", "--run", "1", "--phase", "prefill", "--format", "csv");
        Assert.Equal(0, top.ExitCode);
        Assert.StartsWith("pass 0 chosen:", top.Stderr);
        Assert.Equal(2, db.Run("top", "--run", "1", "--phase", "prefill", "--all-passes").ExitCode);
        var perfetto = Parse.Csv(db.Run("perfetto", "--run", "1", "--phase", "decode", "--format", "csv").Stdout);
        Assert.Equal(["1", "2"], perfetto.Where(r => r["kind"] == "pass").Select(r => r["pass_idx"]));
        var kernels = db.Run("kernels", "--run", "1", "--layer", "0", "--phase", "mixed");
        Assert.Equal(0, kernels.ExitCode);
        Assert.StartsWith("pass 3 chosen:", kernels.Stderr);
    }

    [Fact]
    public void Layers_phase_without_such_passes_names_the_phases_present()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("layers", "--run", "1", "--phase", "prefill");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("run 1 has no prefill pass (phases: decode 4)", r.Stderr);
    }
}
