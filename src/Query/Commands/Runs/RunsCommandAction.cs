using System.CommandLine;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary>Runs <c>llmpipe runs</c>.</summary>
public static class RunsCommandAction
{
    /// <summary>The table's default columns: what tells runs apart (<c>--wide</c> shows all of <c>run_summary</c>).</summary>
    public static readonly DefaultColumns Defaults = new(
        ["run_id", "label", "model", "gpu_name", "pass_count", "warning_count", "source_file"],
        ["framework", "num_layers", "kernel_count"]);

    /// <summary>
    /// Prints <c>run_summary</c> ordered by run id, with <c>source_file</c> (the file name of <c>source_path</c>)
    /// after <c>source_path</c>.
    /// </summary>
    public static int Run(RunsCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        var table = db.Query("SELECT * FROM run_summary ORDER BY run_id");
        var at = table.IndexOf("source_path") + 1;
        table = new ResultTable([.. table.Columns.Take(at), "source_file", .. table.Columns.Skip(at)],
            table.Rows.Select(r => (object?[])[.. r.Take(at), r[at - 1] is string path ? Path.GetFileName(path) : null, .. r.Skip(at)]).ToList());
        def.Options.Render(table, parse, io.Output, Defaults);
        return ExitCodes.Ok;
    }
}
