using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class SqlCommandTests
{
    [Fact]
    public void Sql_runs_a_select_over_views_in_json()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("sql", "SELECT pass_idx, note FROM pass_timeline WHERE note = 'steady-state' ORDER BY pass_idx", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var rows = Parse.Json(r.Stdout).EnumerateArray().ToList();
        Assert.Equal([2L, 3L], rows.Select(x => x.GetProperty("pass_idx").GetInt64()).ToArray());
    }

    [Fact]
    public void Sql_refuses_writes_without_write_option()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("sql", "DELETE FROM ingest_warnings");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("add --write", r.Stderr);
        Assert.Contains("\"count\": 1", db.Run("sql", "SELECT COUNT(*) AS count FROM ingest_warnings", "--format", "json").Stdout);
        Assert.Equal(0, db.Run("sql", "DELETE FROM ingest_warnings", "--write").ExitCode);
        Assert.Contains("\"count\": 0", db.Run("sql", "SELECT COUNT(*) AS count FROM ingest_warnings", "--format", "json").Stdout);
    }

    [Fact]
    public void Sql_reads_the_query_from_a_file()
    {
        using var db = new FixtureDatabase();
        var file = db.File("q.sql");
        File.WriteAllText(file, "SELECT layer_idx, kernel_count FROM layer_detail WHERE run_id = 1 AND pass_idx = 0 ORDER BY layer_idx;");
        var rows = Parse.Csv(db.Run("sql", "-f", file, "--format", "csv").Stdout);
        Assert.Equal(["6", "4"], rows.Select(x => x["kernel_count"]).ToArray());
    }

    [Fact]
    public void Sql_without_query_or_file_is_a_usage_error()
    {
        using var db = new FixtureDatabase();
        Assert.Equal(2, db.Run("sql").ExitCode);
    }

    [Fact]
    public void Sql_reports_syntax_errors_without_stack_trace()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("sql", "SELEC 1");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: SQL error: near \"SELEC\": syntax error", r.Stderr.Split('\n')[0].TrimEnd('\r'));
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
