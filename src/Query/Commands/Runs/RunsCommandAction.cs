using System.CommandLine;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary>Runs <c>llmpipe runs</c>.</summary>
public static class RunsCommandAction
{
    /// <summary>Prints <c>run_summary</c> ordered by run id.</summary>
    public static int Run(RunsCommandDefinition def, ParseResult parse, CliIO io)
    {
        using var db = ReportDatabase.Open(parse.GetValue(def.Db)!);
        var table = db.Query("SELECT * FROM run_summary ORDER BY run_id");
        ResultRenderer.Render(table, OutputFormats.Parse(parse.GetValue(def.Format)!), io.Output);
        return ExitCodes.Ok;
    }
}
