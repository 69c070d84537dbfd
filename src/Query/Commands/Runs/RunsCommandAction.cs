using System.CommandLine;
using Dapper;
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
    /// Prints <c>run_summary</c> ordered by run id (RUN alone when given), with <c>source_file</c> (the file name of
    /// <c>source_path</c>) after <c>source_path</c>; or with <c>--details</c> each run's <see cref="RunDetails"/>, runs
    /// separated by an empty line.
    /// </summary>
    /// <exception cref="QueryException">RUN does not exist (the message lists the valid ids).</exception>
    public static int Run(RunsCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        var run = parse.GetValue(def.Run);
        if (run is long id) db.RequireRun(id);
        if (parse.GetValue(def.Details))
        {
            var ids = run is long one ? [one] : db.Connection.Query<long>("SELECT run_id FROM runs ORDER BY run_id").ToList();
            for (var i = 0; i < ids.Count; i++)
            {
                if (i > 0) io.Output.WriteLine();
                foreach (var line in RunDetails.For(RunFacts.Load(db.Connection, ids[i])!)) io.Output.WriteLine(line);
            }
            return ExitCodes.Ok;
        }
        var table = db.Query("SELECT * FROM run_summary WHERE @run IS NULL OR run_id = @run ORDER BY run_id", new { run });
        var at = table.IndexOf("source_path") + 1;
        table = new ResultTable([.. table.Columns.Take(at), "source_file", .. table.Columns.Skip(at)],
            table.Rows.Select(r => (object?[])[.. r.Take(at), r[at - 1] is string path ? Path.GetFileName(path) : null, .. r.Skip(at)]).ToList());
        def.Options.Render(table, parse, io.Output, Defaults);
        return ExitCodes.Ok;
    }
}
