using System.Text.RegularExpressions;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Runs;

public sealed class CompareCommandTests
{
    private const string H100 = "tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz";
    private const string Mi300 = "tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz";

    /// <summary>Group time of one run's pass straight from the kernels and category_rules tables, in ns.</summary>
    private static Dictionary<string, long> GroupTimesNs(string db, int run, int pass) =>
        Parse.Json(Llmpipe.Run("sql", $"""
            SELECT g.grp, SUM(k.dur_ns) AS ns FROM kernels k
            JOIN (SELECT run_id, category, MIN(category_group) AS grp FROM category_rules GROUP BY run_id, category) g
              ON g.run_id = k.run_id AND g.category = k.category
            WHERE k.run_id = {run} AND k.pass_idx = {pass} GROUP BY g.grp
            """, "--format", "json", "--db", db).Stdout).EnumerateArray()
            .ToDictionary(e => e.GetProperty("grp").GetString()!, e => e.GetProperty("ns").GetInt64());

    /// <summary>Category groups of the kernels whose name matches a LIKE pattern.</summary>
    private static List<string> GroupsOf(string db, int run, string like) =>
        Parse.Json(Llmpipe.Run("sql", $"""
            SELECT DISTINCT g.category_group FROM kernels k JOIN kernel_names n ON n.name_id = k.name_id
            JOIN category_rules g ON g.run_id = k.run_id AND g.category = k.category
            WHERE k.run_id = {run} AND n.name LIKE '{like}'
            """, "--format", "json", "--db", db).Stdout).EnumerateArray()
            .Select(e => e.GetProperty("category_group").GetString()!).ToList();

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void Compare_by_group_matches_attention_gemm_elementwise_and_copy_across_H100_and_MI300()
    {
        var h100 = SharedData.RequireTrace(H100);
        var mi300 = SharedData.RequireTrace(Mi300);
        using var dir = new TempDir();
        var db = dir.File("cmp.db");
        var ingest = Llmpipe.Run("ingest", h100, mi300, "--num-layers", "24", "--db", db, "--quiet");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        Assert.Contains($"{h100}: ingested as run 1", ingest.Stdout);
        Assert.Contains($"{mi300}: ingested as run 2", ingest.Stdout);

        // Known kernels land in the same group on both vendors.
        Assert.Equal(["attention"], GroupsOf(db, 1, "%flash_fwd_kernel%"));
        Assert.Equal(["attention"], GroupsOf(db, 2, "%attn_fwd%"));
        Assert.Equal(["gemm"], GroupsOf(db, 1, "%sm90_xmma%"));
        Assert.Equal(["gemm"], GroupsOf(db, 2, "Cijk_%"));
        Assert.Equal(["elementwise"], GroupsOf(db, 1, "%elementwise_kernel%CUDAFunctor_add%"));
        Assert.Equal(["elementwise"], GroupsOf(db, 2, "%elementwise_kernel%CUDAFunctor_add%"));
        Assert.Equal(["copy"], GroupsOf(db, 1, "%CatArrayBatchedCopy%"));
        Assert.Equal(["copy"], GroupsOf(db, 2, "%CatArrayBatchedCopy%"));

        var r = Llmpipe.Run("compare", "--run", "1", "--run", "2", "--by", "group", "--format", "csv", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        // Each run's default pass (docs/segmentation.md, section 8): both traces hold a partial pass 0 and one complete pass 1.
        var chosen = Regex.Matches(r.Stderr, @"run (\d+): pass (\d+) chosen").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal([("1", "1"), ("2", "1")], chosen);
        var rows = Parse.Csv(r.Stdout).ToDictionary(x => x["category_group"]);
        var a = GroupTimesNs(db, 1, 1);
        var b = GroupTimesNs(db, 2, 1);
        foreach (var group in new[] { "attention", "gemm", "elementwise", "copy" })
        {
            Assert.True(a[group] > 0 && b[group] > 0, group);
            Assert.Equal(a[group] / 1e3, Parse.D(rows[group]["run_1_us"]), 6);
            Assert.Equal(b[group] / 1e3, Parse.D(rows[group]["run_2_us"]), 6);
            Assert.Equal((b[group] - a[group]) / 1e3, Parse.D(rows[group]["diff_2_us"]), 6);
            Assert.Equal((double)b[group] / a[group], Parse.D(rows[group]["ratio_2"]), 9);
        }
        // Every group of either side is a row, sorted by absolute difference.
        Assert.Equal(a.Keys.Union(b.Keys).Order(), rows.Keys.Order());
        var diffs = Parse.Csv(r.Stdout).Select(x => Math.Abs(Parse.D(x["diff_2_us"]))).ToList();
        Assert.Equal(diffs.OrderByDescending(d => d), diffs);
    }

    [Fact]
    public void Compare_by_layer_of_a_run_against_a_slower_copy_gives_the_ratio_of_every_layer()
    {
        using var dir = new TempDir();
        var spec = new LlmPipeline.TraceGen.TraceSpec { Shape = LlmPipeline.TraceGen.TraceShape.Generic, NumLayers = 4, Passes = 3, WorldSize = 1, IncludeCpuSide = false, JitterFraction = 0 };
        LlmPipeline.TraceGen.TraceWriter.WriteFile(spec, dir.File("fast.json"), gzip: false);
        LlmPipeline.TraceGen.TraceWriter.WriteFile(spec with { LayerTimeScale = 2.0 }, dir.File("slow.json"), gzip: false);
        var db = dir.File("l.db");
        Assert.Equal(0, Llmpipe.Run("ingest", dir.File("fast.json"), dir.File("slow.json"), "--num-layers", "4", "--db", db, "--quiet").ExitCode);
        var rows = Parse.Csv(Llmpipe.Run("compare", "--run", "1", "--run", "2", "--by", "layer", "--pass", "1", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(["0", "1", "2", "3"], rows.Select(x => x["layer_idx"]).Order());
        var walls = Parse.Json(Llmpipe.Run("sql", "SELECT run_id, layer_idx, wall_us FROM layers WHERE pass_idx = 1", "--format", "json", "--db", db).Stdout)
            .EnumerateArray().ToDictionary(e => (e.GetProperty("run_id").GetInt64(), e.GetProperty("layer_idx").GetInt64()), e => e.GetProperty("wall_us").GetDouble());
        foreach (var row in rows)
        {
            var layer = long.Parse(row["layer_idx"]);
            Assert.Equal(walls[(1, layer)], Parse.D(row["run_1_us"]), 6);
            Assert.Equal(walls[(2, layer)] / walls[(1, layer)], Parse.D(row["ratio_2"]), 9);
            Assert.True(Parse.D(row["ratio_2"]) > 1.3);
        }
    }

    [Fact]
    public void Compare_notes_when_the_compared_passes_hold_different_numbers_of_layers()
    {
        using var dir = new TempDir();
        var spec = new LlmPipeline.TraceGen.TraceSpec { Shape = LlmPipeline.TraceGen.TraceShape.Generic, NumLayers = 4, Passes = 3, WorldSize = 1, IncludeCpuSide = false, JitterFraction = 0 };
        LlmPipeline.TraceGen.TraceWriter.WriteFile(spec, dir.File("t.json"), gzip: false);
        var db = dir.File("n.db");
        // The same trace segmented as 4 layers per pass (run 1) and as 2 (run 2: twice the passes, half the layers).
        Assert.Equal(0, Llmpipe.Run("ingest", dir.File("t.json"), "--num-layers", "4", "--db", db, "--quiet").ExitCode);
        Assert.Equal(0, Llmpipe.Run("ingest", dir.File("t.json"), "--num-layers", "2", "--db", db, "--quiet").ExitCode);
        var r = Llmpipe.Run("compare", "--run", "1", "--run", "2", "--by", "group", "--pass", "1", "--db", db);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("note: the compared passes hold different numbers of layers (run 1 pass 1: 4 layers, run 2 pass 1: 2 layers)", r.Stderr);
        var same = Llmpipe.Run("compare", "--run", "1", "--run", "1", "--by", "group", "--pass", "1", "--pass-b", "2", "--db", db);
        Assert.Equal(0, same.ExitCode);
        Assert.DoesNotContain("different numbers of layers", same.Stderr);
    }

    [Fact]
    public void Compare_takes_run_ids_comma_separated_as_well_as_repeated_and_names_a_bad_one()
    {
        using var dir = new TempDir();
        var db = dir.File("c.db");
        var ingest = Llmpipe.Run("ingest", SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz"),
            SharedData.RepoFile("tests/data/vllm_gpt_oss_20b_decode_full/graph_execution.json.gz"), "--db", db, "--quiet");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        var repeated = Llmpipe.Run("compare", "--run", "2", "--run", "1", "--by", "group", "--format", "csv", "--db", db);
        var comma = Llmpipe.Run("compare", "--run", "2,1", "--by", "group", "--format", "csv", "--db", db);
        Assert.Equal(0, comma.ExitCode);
        Assert.StartsWith("category_group,run_2_us,run_1_us,diff_1_us,ratio_1", comma.Stdout); // run 2 is the baseline
        Assert.Equal(repeated.Stdout, comma.Stdout);
        var bad = Llmpipe.Run("compare", "--run", "1,x", "--db", db);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--run: 'x' is not a run id (an integer; several: --run 1 --run 2 or --run 1,2)", bad.Stderr);
    }

    [Fact]
    public void Compare_with_one_run_is_a_usage_error()
    {
        using var fixture = new FixtureDatabase();
        var r = fixture.Run("compare", "--run", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("at least two --run", r.Stderr);
    }
}
