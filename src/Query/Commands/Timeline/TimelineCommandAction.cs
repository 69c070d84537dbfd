using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Timeline;

/// <summary>Runs <c>llmpipe timeline</c>.</summary>
public static class TimelineCommandAction
{
    /// <summary>Prints <c>pass_timeline</c> for one run or all, ordered by run, device, pass.</summary>
    public static int Run(TimelineCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        var (run, _, phase) = def.Options.Check(db, parse);
        var table = db.Query(
            "SELECT * FROM pass_timeline WHERE (@run IS NULL OR run_id = @run) AND (@phase IS NULL OR phase = @phase) ORDER BY run_id, device, pass_idx",
            new { run, phase });
        def.Options.Render(table, parse, io.Output);
        GraphReplayNote.Write(db, run, io.Error);
        ClockNote.Write(db, run, io.Error);
        return ExitCodes.Ok;
    }
}
