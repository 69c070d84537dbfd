using System.CommandLine;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Query.Cli;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary>Runs <c>llmpipe runs tag|label|rm</c> (<see cref="RunEditor"/>).</summary>
public static class RunsEditCommandAction
{
    /// <summary><c>runs tag ID KEY=VALUE</c>: prints the run's tags afterwards.</summary>
    /// <exception cref="UsageException">The pair has no <c>=</c>.</exception>
    /// <exception cref="QueryException">No such run or database.</exception>
    public static int Tag(string db, long runId, string pair, CliIO io)
    {
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new UsageException($"'{pair}' is not KEY=VALUE");
        using var connection = OpenExisting(db);
        var tags = RunEditor.Tag(connection, runId, pair[..eq], pair[(eq + 1)..]) ?? throw NoRun(db, runId);
        io.Output.WriteLine($"run {runId}: tags {tags}");
        return ExitCodes.Ok;
    }

    /// <summary><c>runs label ID TEXT</c>.</summary>
    /// <exception cref="QueryException">No such run or database.</exception>
    public static int Label(string db, long runId, string text, CliIO io)
    {
        using var connection = OpenExisting(db);
        if (!RunEditor.Label(connection, runId, text)) throw NoRun(db, runId);
        io.Output.WriteLine($"run {runId}: label '{text}'");
        return ExitCodes.Ok;
    }

    /// <summary><c>runs rm ID</c>: prints the rows removed.</summary>
    /// <exception cref="QueryException">No such run or database.</exception>
    public static int Remove(string db, long runId, CliIO io)
    {
        using var connection = OpenExisting(db);
        var removed = RunEditor.Remove(connection, runId) ?? throw NoRun(db, runId);
        var total = removed.Where(kv => kv.Key != "captures").Sum(kv => kv.Value);
        var detail = string.Join(", ", removed.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}"));
        io.Output.WriteLine($"run {runId} removed: {total} rows ({detail})");
        return ExitCodes.Ok;
    }

    private static SqliteConnection OpenExisting(string db)
    {
        if (!File.Exists(db)) throw new QueryException($"{db}: no such database");
        return LlmDatabase.OpenForWrite(db);
    }

    private static QueryException NoRun(string db, long runId)
    {
        using var report = ReportDatabase.Open(db);
        try
        {
            report.RequireRun(runId);
        }
        catch (QueryException ex)
        {
            return ex;
        }
        return new QueryException($"run {runId} does not exist in {db}");
    }
}
