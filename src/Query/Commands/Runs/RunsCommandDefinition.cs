using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary><c>llmpipe runs</c>: one row per run with its metadata (view <c>run_summary</c>).</summary>
public sealed class RunsCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public RunsCommandDefinition()
    {
        Command = new Command("runs", """
            List the runs in the database: one row per ingested trace with its metadata (view run_summary).

            Example:
              llmpipe runs --db traces.db --format csv
            """) { Db, Format };
        CommandRunner.SetAction(Command, (parse, io) => RunsCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--format</c>.</summary>
    public Option<string> Format { get; } = CommonOptions.Format();
}
