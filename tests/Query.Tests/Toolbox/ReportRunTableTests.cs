using System.Text.RegularExpressions;
using LlmPipeline.Query.Tests.Phases;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>
/// Issue 21: the HTML report's run table says which pass it reports and why (<c>pass N: &lt;why&gt;</c>, the default-pass
/// rule of every command), and carries the graph-replay attribution as a field from the stored run (<c>none</c> for a
/// run without graph replays).
/// </summary>
public sealed class ReportRunTableTests
{
    [Fact]
    public void The_run_table_gives_the_reported_pass_with_its_reason_and_the_graph_replay_attribution()
    {
        using var dir = new TempDir();
        var db = dir.File("t.db");
        // run 1: the shipped sample, whose 544 graph-replay kernels are attributed from the capture trace beside it.
        var r = Llmpipe.Run("ingest", SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz"), "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        // run 2: a lone prefill pass, then four equal decode steps (no graph replays).
        var trace = dir.File("phases.json");
        File.WriteAllText(trace, PhaseTrace.Json([
            new("step[EXTEND bs=2 toks=512]", PhaseTrace.PrefillAttention),
            .. Enumerable.Range(0, 4).Select(_ => new PhaseTrace.Pass("step[DECODE bs=32]", PhaseTrace.DecodeAttention))]));
        r = Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);

        var html = dir.File("report.html");
        r = Llmpipe.Run("report", "--run", "1", "--compare", "2", "--out", html, "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var page = File.ReadAllText(html);
        Assert.Equal("544 of 544 kernels (100.0 %) attributed from bs_32_rank0.json.gz, aligned by sequence (hipGraphLaunch)", Cell(page, "replay-coverage-a"));
        Assert.Equal("none", Cell(page, "replay-coverage-b"));
        Assert.Equal("pass 0: among the 1 decode pass(es) (the most common phase): no complete pass is followed by two steady-state passes, so the last complete pass (0) is used",
            Cell(page, "reported-pass-a"));
        // decode passes 1-4 are equal: pass 1 is followed by steady passes 2 and 3.
        Assert.Equal("pass 1: among the 4 decode pass(es) (the most common phase): pass 1 is the first complete pass whose next two passes are steady-state (each within 5 % of the one before)",
            Cell(page, "reported-pass-b"));
        // stderr says the same, once per run
        Assert.Equal(
            "run 1: pass 0 chosen: among the 1 decode pass(es) (the most common phase): no complete pass is followed by two steady-state passes, so the last complete pass (0) is used; use --pass N for another\n" +
            "run 2: pass 1 chosen: among the 4 decode pass(es) (the most common phase): pass 1 is the first complete pass whose next two passes are steady-state (each within 5 % of the one before); use --pass N for another\n",
            r.Stderr);
        // the lone prefill pass is no cold start, so no pass of either run is drawn as one
        Assert.Equal(["", "", "", "steady-state", "steady-state", "steady-state"],
            Llmpipe.SqlCsv(db, "SELECT run_id, pass_idx, note FROM pass_timeline ORDER BY run_id, pass_idx").Select(x => x["note"]));
    }

    [Fact]
    public void A_pass_asked_for_is_reported_as_asked_for()
    {
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var trace = dir.File("decode.json");
        File.WriteAllText(trace, PhaseTrace.Json(Enumerable.Range(0, 3).Select(_ => new PhaseTrace.Pass("step[DECODE bs=32]", PhaseTrace.DecodeAttention)).ToList()));
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db, "--quiet").ExitCode);
        var html = dir.File("report.html");
        var r = Llmpipe.Run("report", "--run", "1", "--pass", "2", "--out", html, "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        Assert.Equal("pass 2: asked for with --pass", Cell(File.ReadAllText(html), "reported-pass-a"));
    }

    private static string Cell(string page, string testId)
    {
        var m = Regex.Match(page, $"data-testid=\"{testId}\">([^<]*)<");
        Assert.True(m.Success, $"no {testId} in the report");
        return m.Groups[1].Value;
    }
}
