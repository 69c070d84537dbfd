using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary>Runs <c>llmpipe runs</c>.</summary>
public static class RunsCommandAction
{
    /// <summary>Prints <c>run_summary</c> ordered by run id.</summary>
    public static int Run(RunsCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        var table = db.Query("SELECT * FROM run_summary ORDER BY run_id");
        def.Options.Render(table, parse, io.Output);
        return ExitCodes.Ok;
    }
}
