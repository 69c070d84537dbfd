using Dapper;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Query.Tests.Runs;

public sealed class RunsEditTests
{
    private static readonly TraceSpec Spec = new() { Shape = TraceShape.Generic, NumLayers = 4, Passes = 3, WorldSize = 2, IncludeCpuSide = true };

    /// <summary>
    /// one.json and two.json (<see cref="Spec"/>, seeds 1 and 2) ingested in one command with <c>--tag tp=2</c>: runs 1
    /// and 2. Built once; each copy comes with the folder holding the two traces.
    /// </summary>
    private static readonly CachedDatabase<string> TwoRuns = new("runs-edit", db =>
    {
        var traces = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(db)!, "runs-edit")).FullName;
        TraceWriter.WriteFile(Spec with { Seed = 1 }, Path.Combine(traces, "one.json"), gzip: false);
        TraceWriter.WriteFile(Spec with { Seed = 2 }, Path.Combine(traces, "two.json"), gzip: false);
        var r = Llmpipe.Run("ingest", Path.Combine(traces, "one.json"), Path.Combine(traces, "two.json"), "--num-layers", "4", "--db", db, "--quiet", "--tag", "tp=2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return traces;
    });

    /// <summary>A copy of <see cref="TwoRuns"/> as r.db in <paramref name="dir"/>, and the folder of its two traces.</summary>
    private static (string Db, string Traces) TwoRunDb(TempDir dir)
    {
        var db = dir.File("r.db");
        return (db, TwoRuns.CopyTo(db));
    }

    private static long Count(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        return c.ExecuteScalar<long>(sql);
    }

    [Fact]
    public void Ingest_of_a_stored_file_with_a_label_says_the_label_was_not_applied_and_how_to_set_it()
    {
        using var dir = new TempDir();
        var (db, traces) = TwoRunDb(dir);
        var two = Path.Combine(traces, "two.json");
        var r = Llmpipe.Run("ingest", two, "--num-layers", "4", "--db", db, "--label", "second try", "--commit", "abc");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"{two}: already present as run 2 (same file SHA-256 and segmentation options; --force ingests it again). " +
            "--label, --commit were not applied to it: 'llmpipe runs label 2 TEXT' and 'llmpipe runs tag 2 KEY=VALUE' change a stored run",
            r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(0, Count(db, "SELECT count(*) FROM runs WHERE label IS NOT NULL OR git_commit IS NOT NULL"));
        Assert.Equal(2, Count(db, "SELECT count(*) FROM runs"));
    }

    [Fact]
    public void Runs_rm_leaves_no_row_of_the_run_in_any_table_and_other_reports_unchanged()
    {
        using var dir = new TempDir();
        var (db, _) = TwoRunDb(dir);
        string[][] reports =
        [
            ["layers", "--run", "2", "--format", "csv"],
            ["timeline", "--run", "2", "--format", "csv"],
            ["kernels", "--run", "2", "--layer", "1", "--format", "csv"],
            ["top", "--run", "2", "--format", "csv"],
            ["warnings", "--run", "2", "--format", "csv"],
        ];
        var before = reports.Select(a => Llmpipe.Run([.. a, "--db", db]).Stdout).ToList();
        using (var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False"))
            Assert.True(c.ExecuteScalar<long>("SELECT COUNT(*) FROM kernels WHERE run_id = 1") > 0);

        var rm = Llmpipe.Run("runs", "rm", "1", "--db", db);
        Assert.True(rm.ExitCode == 0, rm.Stderr);
        Assert.StartsWith("run 1 removed: ", rm.Stdout);

        List<string> tables;
        using (var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False"))
            tables = c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'").ToList()
                .Where(t => c.Query<string>($"SELECT name FROM pragma_table_info('{t}')").Contains("run_id")).ToList();
        Assert.Contains("kernel_rows", tables);
        Assert.Contains("trace_metadata", tables);
        Assert.True(tables.Count >= 11, string.Join(", ", tables));
        foreach (var table in tables)
            Assert.True(Count(db, $"SELECT COUNT(*) FROM \"{table}\" WHERE run_id = 1") == 0, table);
        Assert.True(Count(db, "SELECT COUNT(*) FROM kernels WHERE run_id = 2") > 0);
        Assert.Equal(before, reports.Select(a => Llmpipe.Run([.. a, "--db", db]).Stdout).ToList());
        Assert.Equal(["2"], Parse.Csv(Llmpipe.Run("runs", "--format", "csv", "--db", db).Stdout).Select(x => x["run_id"]));

        var again = Llmpipe.Run("runs", "rm", "1", "--db", db);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("run 1 does not exist", again.Stderr);
    }

    [Fact]
    public void Runs_tag_and_label_change_only_the_named_run()
    {
        using var dir = new TempDir();
        var (db, _) = TwoRunDb(dir);
        Assert.Equal(0, Llmpipe.Run("runs", "tag", "1", "commit=abc=1", "--db", db).ExitCode);
        Assert.Equal(0, Llmpipe.Run("runs", "tag", "1", "tp=4", "--db", db).ExitCode);
        Assert.Equal(0, Llmpipe.Run("runs", "label", "2", "nightly B", "--db", db).ExitCode);
        var runs = Parse.Csv(Llmpipe.Run("runs", "--format", "csv", "--db", db).Stdout);
        Assert.Equal("{\"tp\":\"4\",\"commit\":\"abc=1\"}", runs[0]["tags"]);
        Assert.Equal("{\"tp\":\"2\"}", runs[1]["tags"]);
        Assert.Equal("", runs[0]["label"]);
        Assert.Equal("nightly B", runs[1]["label"]);
        Assert.Equal(2, Llmpipe.Run("runs", "tag", "1", "novalue", "--db", db).ExitCode);
        Assert.Equal(1, Llmpipe.Run("runs", "label", "9", "x", "--db", db).ExitCode);
    }
}
