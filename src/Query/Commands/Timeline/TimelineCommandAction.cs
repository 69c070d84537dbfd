using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Timeline;

/// <summary>Runs <c>llmpipe timeline</c>.</summary>
public static class TimelineCommandAction
{
    /// <summary>Prints <c>pass_timeline</c> for one run or all, ordered by run, device, pass.</summary>
    public static int Run(TimelineCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        // Stored warnings and notes were said once, at ingest (llmpipe warnings --run N lists them): not repeated here.
        var (table, _) = def.Options.Select(db, parse, "pass_timeline", "run_id, device, pass_idx");
        def.Options.Render(table, parse, io.Output);
        return ExitCodes.Ok;
    }
}
