using System.CommandLine;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Warnings;

/// <summary>Runs <c>llmpipe warnings</c>.</summary>
public static class WarningsCommandAction
{
    /// <summary>Prints the run's ingest warnings by kind.</summary>
    public static int Run(WarningsCommandDefinition def, ParseResult parse, CliIO io)
    {
        using var db = ReportDatabase.Open(parse.GetValue(def.Db)!);
        var run = db.RequireRun(parse.GetValue(def.Run)!.Value);
        var table = db.Query(
            "SELECT kind, count, first_byte_offset, detail FROM ingest_warnings WHERE run_id = @run ORDER BY kind",
            new { run });
        ResultRenderer.Render(table, OutputFormats.Parse(parse.GetValue(def.Format)!), io.Output);
        return ExitCodes.Ok;
    }
}
