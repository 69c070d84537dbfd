using System.Globalization;
using System.Text.RegularExpressions;
using LlmPipeline.Query.Tests.Phases;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>
/// Issue 21, one default-pass rule (docs/segmentation.md, section 8): every command that reports one pass chooses the
/// same default pass of a run (the per-pass reports, the HTML report, compare and skew), and says on stderr
/// <c>pass N chosen: &lt;why&gt;</c>.
/// </summary>
public sealed partial class DefaultPassAgreementTests
{
    private const string Prefill = "step[EXTEND bs=2 toks=512]";
    private const string Decode = "step[DECODE bs=32]";

    /// <summary>
    /// Runs every per-pass command without --pass on run <paramref name="run"/> and returns, per command, the pass it
    /// chose (from its stderr line), after asserting that each succeeded and said why.
    /// </summary>
    private static Dictionary<string, int> Choices(TempDir dir, string db, long run)
    {
        var id = run.ToString(CultureInfo.InvariantCulture);
        var html = dir.File($"report-{id}.html");
        var commands = new Dictionary<string, string[]>
        {
            ["layers"] = ["layers", "--run", id],
            ["top"] = ["top", "--run", id],
            ["clusters"] = ["clusters", "--run", id],
            ["efficiency"] = ["efficiency", "--run", id],
            ["compare"] = ["compare", "--run", id, "--run", id, "--by", "category"],
            ["report"] = ["report", "--run", id, "--out", html],
        };
        // The commands about one layer of the pass, where the run has layers (a CNN has none).
        if (Llmpipe.SqlCsv(db, $"SELECT COUNT(*) AS n FROM layers WHERE run_id = {id} AND layer_idx = 0")[0]["n"] != "0")
        {
            commands["kernels"] = ["kernels", "--run", id, "--layer", "0"];
            commands["perfetto"] = ["perfetto", "--run", id, "--layers", "0"];
        }
        var chosen = new Dictionary<string, int>();
        var reasons = new Dictionary<string, string>();
        foreach (var (name, args) in commands)
        {
            var r = Llmpipe.Run([.. args, "--db", db]);
            Assert.True(r.ExitCode == 0, $"{name}: {r.Stderr}");
            var m = ChoiceLine().Match(r.Stderr);
            Assert.True(m.Success, $"{name} did not say which pass it chose: {r.Stderr}");
            chosen[name] = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            reasons[name] = m.Groups[2].Value;
        }
        Assert.All(reasons, kv => Assert.Equal(reasons["layers"], kv.Value));
        // The HTML report's run table says the same pass and why.
        var cell = ReportedPass().Match(File.ReadAllText(html));
        Assert.True(cell.Success, "the report's run table has no reported pass");
        chosen["report run table"] = int.Parse(cell.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(reasons["layers"], cell.Groups[2].Value);
        return chosen;
    }

    private static void AssertAllChoose(int expected, Dictionary<string, int> chosen) =>
        Assert.All(chosen, kv => Assert.True(kv.Value == expected, $"{kv.Key} chose pass {kv.Value}, not {expected}"));

    private static string IngestPhaseTrace(TempDir dir, string name, IReadOnlyList<PhaseTrace.Pass> passes)
    {
        var trace = dir.File(name + ".json");
        File.WriteAllText(trace, PhaseTrace.Json(passes));
        var db = dir.File(name + ".db");
        var r = Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return db;
    }

    [Fact]
    public void A_lone_prefill_pass_then_decode_steps_with_an_outlier_every_command_chooses_the_first_steady_decode_pass()
    {
        using var dir = new TempDir();
        // Pass 0 prefill, passes 1-6 decode; pass 3 runs at half speed (layer 0: 176 us against 88 us; an outlier).
        var passes = new List<PhaseTrace.Pass> { new(Prefill, PhaseTrace.PrefillAttention) };
        for (var i = 1; i <= 6; i++) passes.Add(new(Decode, PhaseTrace.DecodeAttention, Slow: i == 3));
        var db = IngestPhaseTrace(dir, "outlier", passes);
        // Notes: the lone prefill pass is no cold start; pass 1 is as fast as the later decode passes (no cold start);
        // 2 equals 1; 3 grew 176 / 88 = 2.0x; 4 is 0.5x of 3 (no note); 5 and 6 equal the one before.
        Assert.Equal(["", "", "steady-state", "growing 2.0x", "", "steady-state", "steady-state"],
            Llmpipe.SqlCsv(db, "SELECT pass_idx, note FROM pass_timeline ORDER BY pass_idx").Select(r => r["note"]));
        Assert.Equal(["0", "0", "0", "1", "0", "0", "0"],
            Llmpipe.SqlCsv(db, "SELECT is_outlier FROM passes ORDER BY pass_idx").Select(r => r["is_outlier"]));
        // Among the 6 decode passes, outlier pass 3 left out: 1, 2, 4, 5, 6 all equal, so pass 1 is followed by two
        // steady passes (2 and 4). With the outlier kept, the first such pass would be 4.
        AssertAllChoose(1, Choices(dir, db, 1));
    }

    [Fact]
    public void A_true_cold_start_is_noted_and_every_command_skips_it()
    {
        using var dir = new TempDir();
        // Five decode steps, the first at half speed: layer 0 176 us against a median of 88 us for the later ones.
        var db = IngestPhaseTrace(dir, "cold", Enumerable.Range(0, 5).Select(i => new PhaseTrace.Pass(Decode, PhaseTrace.DecodeAttention, Slow: i == 0)).ToList());
        Assert.Equal(["cold-start", "", "steady-state", "steady-state", "steady-state"],
            Llmpipe.SqlCsv(db, "SELECT pass_idx, note FROM pass_timeline ORDER BY pass_idx").Select(r => r["note"]));
        // Pass 0 is a ramp-up outlier (2x the median), left out: pass 1 is followed by steady passes 2 and 3.
        AssertAllChoose(1, Choices(dir, db, 1));
    }

    [Fact]
    public void On_the_shipped_samples_every_command_chooses_the_same_pass()
    {
        using var dir = new TempDir();
        var db = dir.File("samples.db");
        var r = Llmpipe.Run("ingest", SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz"),
            SharedData.RepoFile("tests/data/vllm_gpt_oss_20b_decode_full/graph_execution.json.gz"), "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        // one decode step each: pass 0, the last (and only) complete pass; a lone decode step is no cold start
        AssertAllChoose(0, Choices(dir, db, 1));
        AssertAllChoose(0, Choices(dir, db, 2));
        Assert.Equal(["", ""], Llmpipe.SqlCsv(db, "SELECT run_id, note FROM pass_timeline ORDER BY run_id").Select(x => x["note"]));
    }

    [Fact]
    public void Skew_chooses_the_lowest_ranks_default_pass()
    {
        using var dir = new TempDir();
        var traces = Path.Combine(dir.Path, "capture");
        // Rank 0's first pass is slow (a ramp-up outlier): its default pass is 1, not 0.
        var spec = new TraceSpec
        {
            Shape = TraceShape.Generic, NumLayers = 4, Passes = 5, WorldSize = 2, IncludeCpuSide = false,
            JitterFraction = 0, KernelGapUs = 0, PassTimeScales = [2.0, 1, 1, 1, 1],
        };
        TraceWriter.WriteRankFiles(spec, traces, gzip: true, new Dictionary<int, double>());
        var db = dir.File("skew.db");
        var ingest = Llmpipe.Run("ingest", traces, "--num-layers", "4", "--db", db, "--quiet");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        var skew = Llmpipe.Run("skew", "--capture", "1", "--format", "csv", "--db", db);
        Assert.True(skew.ExitCode == 0, skew.Stderr);
        Assert.StartsWith("rank 0 (run 1): pass 1 chosen: among the 5 ", skew.Stderr, StringComparison.Ordinal);
        AssertAllChoose(1, Choices(dir, db, 1));
    }

    public static TheoryData<string, string?> SharedTraces() => new()
    {
        // trace, --num-layers (null: detected)
        { "llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz", "32" },
        { "kineto/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz", null },
        { "tracelens/b200/eager_trace.json.gz", null },
        { "tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz", null },
        { "tracelens/inference/sglang_prefilldecode/sglang_Qwen3-8B_prefilldecode.json.gz", null },
        { "tracelens/inference/vllm_decode_full/graph_execution.json.gz", null },
        { "tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz", null },
        { "tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", "24" },
        { "tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", "24" },
    };

    [SkippableTheory]
    [Trait("Category", "Corpus")]
    [MemberData(nameof(SharedTraces))]
    public void On_the_shared_traces_every_command_chooses_the_same_pass(string trace, string? numLayers)
    {
        var path = SharedData.RequireTrace(trace);
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var r = Llmpipe.Run(["ingest", path, "--db", db, "--quiet", .. numLayers is null ? Array.Empty<string>() : ["--num-layers", numLayers]]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var chosen = Choices(dir, db, 1);
        AssertAllChoose(chosen["layers"], chosen);
    }

    [SkippableFact]
    [Trait("Category", "Corpus")]
    public void A_run_without_layers_notes_its_passes_from_their_walls()
    {
        var path = SharedData.RequireTrace("kineto/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz");
        using var dir = new TempDir();
        var db = dir.File("t.db");
        Assert.Equal(0, Llmpipe.Run("ingest", path, "--db", db, "--quiet").ExitCode);
        var rows = Llmpipe.SqlCsv(db, "SELECT pass_idx, wall_ms, first_layer_ms, note FROM pass_timeline ORDER BY pass_idx");
        // ResNet-50 has no layers: six training steps of 115-118 ms, each within 5 % of the one before, and the first
        // no slower than the later ones' median.
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal("", r["first_layer_ms"]));
        Assert.Equal(["", "steady-state", "steady-state", "steady-state", "steady-state", "steady-state"], rows.Select(r => r["note"]));
        var walls = rows.Select(r => double.Parse(r["wall_ms"], CultureInfo.InvariantCulture)).ToList();
        for (var i = 1; i < walls.Count; i++) Assert.InRange(Math.Abs(walls[i] - walls[i - 1]), 0, 0.05 * walls[i - 1]);
        AssertAllChoose(0, Choices(dir, db, 1));
    }

    [GeneratedRegex(@"pass (\d+) chosen: (.*); use --pass N for another")]
    private static partial Regex ChoiceLine();

    [GeneratedRegex("data-testid=\"reported-pass-a\">pass (\\d+): ([^<]*)<")]
    private static partial Regex ReportedPass();
}
