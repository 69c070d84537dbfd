using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Runs;

/// <summary>A database written at schema version 1 opens, is upgraded in place and answers every report.</summary>
[Trait("Category", "Slow")]
public sealed class SchemaV1ReportTests
{
    public static TheoryData<string> Reports() =>
    [
        "runs",
        "timeline",
        "timeline --run 1",
        "layers --run 1",
        "clusters --run 1",
        "kernels --run 1 --layer 0",
        "perfetto --run 1",
        "top --run 1",
        "anchors --run 1",
        "warnings --run 1",
        "compare --run 1 --run 1 --by category",
        "compare --run 1 --run 1 --by group",
        "compare --run 1 --run 1 --by layer",
        "compare --run 1 --run 1 --by layer-type",
        "compare --run 1 --run 1 --by kernel",
        "compare --run 1 --run 1 --by pass",
    ];

    [Theory]
    [MemberData(nameof(Reports))]
    public void Report_on_a_schema_v1_database_exits_0_with_rows(string command)
    {
        using var dir = new TempDir();
        var db = dir.File("v1.db");
        File.Copy(SharedData.RepoFile("tests/data/fixtures/schema-v1.db"), db);
        var r = Llmpipe.Run([.. command.Split(' '), "--format", "csv", "--db", db]);
        Assert.True(r.ExitCode == 0, $"{command}: {r.Stderr}");
        // The v1 run has no ingest warnings; every other report has rows.
        Assert.True(Parse.Csv(r.Stdout).Count > 0 || command.StartsWith("warnings", StringComparison.Ordinal), command);
    }

    [Fact]
    public void Compare_of_the_v1_run_with_itself_has_zero_differences_and_36_layers()
    {
        using var dir = new TempDir();
        var db = dir.File("v1.db");
        File.Copy(SharedData.RepoFile("tests/data/fixtures/schema-v1.db"), db);
        var rows = Parse.Csv(Llmpipe.Run("compare", "--run", "1", "--run", "1", "--by", "layer", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(36, rows.Count);
        Assert.All(rows, x => Assert.Equal(0.0, Parse.D(x["diff_1_pass0_1_us"])));
        Assert.All(rows, x => Assert.Equal(1.0, Parse.D(x["ratio_1_pass0_1"])));
    }

    [Fact]
    public void Skew_on_a_schema_v1_database_says_it_has_no_captures()
    {
        using var dir = new TempDir();
        var db = dir.File("v1.db");
        File.Copy(SharedData.RepoFile("tests/data/fixtures/schema-v1.db"), db);
        var r = Llmpipe.Run("skew", "--capture", "1", "--db", db);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("the database has no captures", r.Stderr);
    }
}
