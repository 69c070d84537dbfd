using System.CommandLine;
using Dapper;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary>Runs <c>llmpipe runs</c>.</summary>
public static class RunsCommandAction
{
    /// <summary>
    /// Prints <c>run_summary</c> ordered by run id (RUN alone when given), or with <c>--details</c> each run's
    /// <see cref="RunDetails"/>, runs separated by an empty line.
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
        def.Options.Render(table, parse, io.Output);
        return ExitCodes.Ok;
    }
}
