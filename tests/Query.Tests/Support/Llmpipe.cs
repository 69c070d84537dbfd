using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Tests.Support;

/// <summary>Runs the real llmpipe command line in-process with captured stdout and stderr.</summary>
public static class Llmpipe
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = LlmpipeCli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs <c>llmpipe sql SQL --format csv --db DB</c>, asserts that it succeeded and returns its rows.</summary>
    public static List<Dictionary<string, string>> SqlCsv(string db, string sql)
    {
        var r = Run("sql", sql, "--format", "csv", "--db", db);
        Xunit.Assert.True(r.ExitCode == 0, r.Stderr);
        return Parse.Csv(r.Stdout);
    }
}
