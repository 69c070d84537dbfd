using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Query.Tests.Runs;

public sealed class MultiRankIngestTests
{
    private static readonly TraceSpec Spec = new() { Shape = TraceShape.Generic, NumLayers = 2, Passes = 2, WorldSize = 2, IncludeCpuSide = false };

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void Ingest_of_the_two_HTA_rank_files_in_one_command_forms_one_capture_with_ranks_0_and_1()
    {
        var rank0 = SharedData.RequireTrace("hta/trace_filter/sampled_rank-0.json.gz");
        var rank1 = SharedData.RequireTrace("hta/trace_filter/sampled_rank-1.json.gz");
        using var dir = new TempDir();
        var db = dir.File("hta.db");
        var r = Llmpipe.Run("ingest", rank1, rank0, "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("capture 1 (sampled_rank-*.json.gz): rank 0 = run ", r.Stdout);
        // world_size 128 with two files: the warning names the first ten missing ranks, then the count
        Assert.Contains("world_size is 128 but no file was given for ranks 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 116 more (126 missing)", r.Stderr);
        var runs = Parse.Csv(Llmpipe.Run("runs", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, x => Assert.Equal("1", x["capture_id"]));
        Assert.Equal(["0", "1"], runs.Select(x => x["rank"]).Order());
        Assert.Equal("0", runs.Single(x => x["source_path"] == rank0)["rank"]);
        Assert.Equal(1, Parse.Json(Llmpipe.Run("sql", "SELECT COUNT(*) AS n FROM captures", "--format", "json", "--db", db).Stdout)[0].GetProperty("n").GetInt32());
    }

    [Fact]
    public void Ingest_of_a_directory_warns_naming_the_ranks_missing_from_the_world_size()
    {
        using var dir = new TempDir();
        var traces = Path.Combine(dir.Path, "set");
        TraceWriter.WriteRankFiles(Spec with { WorldSize = 4 }, traces, gzip: false);
        File.Delete(Path.Combine(traces, "rank-3.pt.trace.json"));
        var db = dir.File("m.db");
        var r = Llmpipe.Run("ingest", traces, "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("capture 1 (rank-*.pt.trace.json): rank 0 = run 1, rank 1 = run 2, rank 2 = run 3; world size 4", r.Stdout);
        Assert.Contains("world_size is 4 but no file was given for rank 3", r.Stderr);
        var w = Parse.Csv(Llmpipe.Run("sql", "SELECT run_id, detail FROM ingest_warnings WHERE kind = 'capture_missing_ranks' ORDER BY run_id", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(["1", "2", "3"], w.Select(x => x["run_id"]));
    }

    [Fact]
    public void Ingest_prefers_distributedInfo_rank_over_the_file_name_and_reports_the_conflict()
    {
        using var dir = new TempDir();
        // B27: a file named TP-0 whose distributedInfo says rank 1, and one named TP-1 that says rank 0.
        TraceWriter.WriteFile(Spec with { Rank = 1 }, dir.File("job-TP-0-DECODE.trace.json"), gzip: false);
        TraceWriter.WriteFile(Spec with { Rank = 0 }, dir.File("job-TP-1-DECODE.trace.json"), gzip: false);
        var db = dir.File("c.db");
        var r = Llmpipe.Run("ingest", dir.File("job-TP-0-DECODE.trace.json"), dir.File("job-TP-1-DECODE.trace.json"), "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("job-TP-0-DECODE.trace.json: the file name says rank 0, distributedInfo.rank says 1; using 1", r.Stderr);
        var runs = Parse.Csv(Llmpipe.Run("runs", "--format", "csv", "--db", db).Stdout);
        Assert.Equal("1", runs.Single(x => x["source_path"].EndsWith("TP-0-DECODE.trace.json"))["rank"]);
        Assert.Equal("0", runs.Single(x => x["source_path"].EndsWith("TP-1-DECODE.trace.json"))["rank"]);
        Assert.All(runs, x => Assert.Equal("decode", x["phase"]));
        Assert.All(runs, x => Assert.Equal("2", x["world_size"]));
    }

    [Fact]
    public void Ingest_ends_with_one_line_per_file_and_exits_1_when_one_failed()
    {
        using var dir = new TempDir();
        TraceWriter.WriteFile(Spec with { WorldSize = 1 }, dir.File("a.json"), gzip: false);
        File.WriteAllText(dir.File("broken.json"), "not a trace");
        var db = dir.File("e.db");
        Assert.Equal(0, Llmpipe.Run("ingest", dir.File("a.json"), "--db", db, "--quiet").ExitCode);
        var r = Llmpipe.Run("ingest", Path.Combine(dir.Path, "*.json"), "--db", db, "--quiet");
        Assert.Equal(1, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{dir.File("a.json")}: already present as run 1 (same file SHA-256 and segmentation options; --force ingests it again)", lines[^2]);
        Assert.Equal($"{dir.File("broken.json")}: failed", lines[^1]);
    }

    [Fact]
    public void Ingest_of_a_capture_with_an_unreadable_rank_file_stores_the_other_ranks_as_the_capture_and_exits_1()
    {
        using var dir = new TempDir();
        TraceWriter.WriteFile(Spec with { Rank = 0, WorldSize = 3 }, dir.File("b-TP-0.trace.json"), gzip: false);
        File.WriteAllText(dir.File("b-TP-1.trace.json"), "not a trace");
        TraceWriter.WriteFile(Spec with { Rank = 2, WorldSize = 3, Seed = 9 }, dir.File("b-TP-2.trace.json"), gzip: false);
        var db = dir.File("b.db");
        var r = Llmpipe.Run("ingest", dir.Path, "--db", db, "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("capture 1 (b-TP-*.trace.json): rank 0 = run 1, rank 2 = run 2; world size 3", r.Stdout);
        Assert.Contains("world_size is 3 but no file was given for rank 1", r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{dir.File("b-TP-0.trace.json")}: ingested as run 1", lines[^3]);
        Assert.Equal($"{dir.File("b-TP-1.trace.json")}: failed", lines[^2]);
        Assert.Equal($"{dir.File("b-TP-2.trace.json")}: ingested as run 2", lines[^1]);
    }

    [Fact]
    public void Ingest_of_a_quoted_pattern_takes_only_the_matching_files()
    {
        using var dir = new TempDir();
        TraceWriter.WriteRankFiles(Spec, Path.Combine(dir.Path, "p"), gzip: true);
        File.Copy(Path.Combine(dir.Path, "p", "rank-0.pt.trace.json.gz"), Path.Combine(dir.Path, "p", "other.pt.trace.json.gz"));
        var r = Llmpipe.Run("ingest", Path.Combine(dir.Path, "p", "rank-?.pt.trace.json.gz"), "--db", dir.File("g.db"), "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("rank-0.pt.trace.json.gz: ingested as run 1", r.Stdout);
        Assert.Contains("rank-1.pt.trace.json.gz: ingested as run 2", r.Stdout);
        Assert.Equal(2, r.Stdout.Split('\n').Count(l => l.Contains(": ingested as run ")));
    }

    [Fact]
    public void Expand_of_a_directory_takes_json_and_json_gz_files_below_it_but_not_model_configs()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("sub"));
        foreach (var f in new[] { "a.json", "b.pt.trace.json.gz", "config.json", "notes.txt", "sub/c-TP-0.trace.json.gz" })
            File.WriteAllText(dir.File(f), "x");
        var found = LlmPipeline.Query.Commands.Ingest.TraceFileFinder.Expand(dir.Path)
            .Select(f => Path.GetRelativePath(dir.Path, f).Replace('\\', '/')).ToList();
        Assert.Equal(["a.json", "b.pt.trace.json.gz", "sub/c-TP-0.trace.json.gz"], found);
        Assert.Equal([dir.File("sub/c-TP-0.trace.json.gz")], LlmPipeline.Query.Commands.Ingest.TraceFileFinder.Expand(Path.Combine(dir.Path, "**", "*-TP-?.trace.json.gz")));
    }
}
