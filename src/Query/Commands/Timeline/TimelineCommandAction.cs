using System.CommandLine;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Timeline;

/// <summary>Runs <c>llmpipe timeline</c>.</summary>
public static class TimelineCommandAction
{
    /// <summary>Prints <c>pass_timeline</c> for one run or all, ordered by run, device, pass.</summary>
    public static int Run(TimelineCommandDefinition def, ParseResult parse, CliIO io)
    {
        using var db = ReportDatabase.Open(parse.GetValue(def.Db)!);
        var run = parse.GetValue(def.Run);
        if (run is long id) db.RequireRun(id);
        PassScope.RequirePhase(db, run, null, parse.GetValue(def.Phase)); // a phase no pass has is an error, not an empty table (docs/messy-traces.md, B31)
        var table = db.Query(
            "SELECT * FROM pass_timeline WHERE (@run IS NULL OR run_id = @run) AND (@phase IS NULL OR phase = @phase) ORDER BY run_id, device, pass_idx",
            new { run, phase = parse.GetValue(def.Phase) });
        ResultRenderer.Render(table, OutputFormats.Parse(parse.GetValue(def.Format)!), io.Output);
        GraphReplayNote.Write(db, run, io.Error);
        ClockNote.Write(db, run, io.Error);
        return ExitCodes.Ok;
    }
}
