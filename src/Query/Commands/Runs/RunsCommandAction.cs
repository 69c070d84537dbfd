using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary>Runs <c>llmpipe runs</c>.</summary>
public static class RunsCommandAction
{
    /// <summary>The table's default columns: what tells runs apart (<c>--wide</c> shows all of <c>run_summary</c>).</summary>
    public static readonly DefaultColumns Defaults = new(
        ["run_id", "label", "model", "framework", "gpu_name", "pass_count", "warning_count", "source_path"],
        ["num_layers", "kernel_count"]);

    /// <summary>Prints <c>run_summary</c> ordered by run id.</summary>
    public static int Run(RunsCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        var table = db.Query("SELECT * FROM run_summary ORDER BY run_id");
        def.Options.Render(table, parse, io.Output, Defaults);
        return ExitCodes.Ok;
    }
}
