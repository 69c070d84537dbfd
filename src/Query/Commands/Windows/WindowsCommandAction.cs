using System.CommandLine;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Windows;

/// <summary>Runs <c>llmpipe windows</c>.</summary>
public static class WindowsCommandAction
{
    /// <summary>Prints <c>pass_windows</c> rows ordered by run, device, window.</summary>
    /// <exception cref="QueryException">Unknown run or device, or a <c>--phase</c> the run has no pass of (docs/messy-traces.md, B31).</exception>
    public static int Run(WindowsCommandDefinition def, ParseResult parse, CliIO io)
    {
        using var db = ReportDatabase.Open(parse.GetValue(def.Db)!);
        var run = parse.GetValue(def.Run);
        var device = parse.GetValue(def.Device);
        var phase = parse.GetValue(def.Phase);
        if (run is long id)
        {
            db.RequireRun(id);
            if (device is not null) db.ResolveDevice(id, device);
        }
        PassScope.RequirePhase(db, run, device, phase); // a phase no pass has is an error, not an empty table (docs/messy-traces.md, B31)
        var table = db.Query("""
            SELECT * FROM pass_windows
            WHERE (@run IS NULL OR run_id = @run) AND (@device IS NULL OR device = @device) AND (@phase IS NULL OR phase = @phase)
            ORDER BY run_id, device, window_idx
            """, new { run, device, phase });
        ResultRenderer.Render(table, OutputFormats.Parse(parse.GetValue(def.Format)!), io.Output);
        return ExitCodes.Ok;
    }
}
