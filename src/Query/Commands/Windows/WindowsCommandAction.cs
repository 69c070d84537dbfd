using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Windows;

/// <summary>Runs <c>llmpipe windows</c>.</summary>
public static class WindowsCommandAction
{
    /// <summary>The table's default columns (<c>--wide</c>: every column of <c>pass_windows</c>).</summary>
    public static readonly DefaultColumns Defaults = new(
        ["run_id", "device", "window_idx", "first_pass_idx", "last_pass_idx", "phase", "pass_count", "mean_wall_ms"],
        ["steady_pass_count", "wall_ms"]);

    /// <summary>Prints <c>pass_windows</c> rows ordered by run, device, window.</summary>
    /// <exception cref="QueryException">Unknown run or device, or a <c>--phase</c> the run has no pass of (docs/messy-traces.md, B31).</exception>
    public static int Run(WindowsCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        var (table, _) = def.Options.Select(db, parse, "pass_windows", "run_id, device, window_idx");
        def.Options.Render(table, parse, io.Output, Defaults);
        return ExitCodes.Ok;
    }
}
