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
            List the runs in the database: one row per ingested trace with its metadata (view run_summary), including
            how framework and model were found (framework_source, model_source), the capture, rank and phase.
            'runs N' lists run N alone; 'runs N --details' prints everything ingest found out about it, one fact per
            line with its evidence (the paragraph the short ingest summary leaves out), every note and warning.
            Subcommands change a run: tag, label, rm.

            Examples:
              llmpipe runs --db traces.db --format csv
              llmpipe runs 3 --details
              llmpipe runs tag 3 commit=abc123
              llmpipe runs rm 3
            """) { Run, Details, Options.Db, Options.Format, Options.Columns, Options.Wide };
        var edit = new RunsEditCommandDefinition();
        Command.Subcommands.Add(edit.Tag);
        Command.Subcommands.Add(edit.Label);
        Command.Subcommands.Add(edit.Remove);
        Options.SetAction(Command, (db, parse, io) => RunsCommandAction.Run(this, db, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>RUN: the run to list (all runs when absent).</summary>
    public Argument<long?> Run { get; } = new("RUN") { Description = "Run id [default: every run]", Arity = ArgumentArity.ZeroOrOne };

    /// <summary><c>--details</c>: what ingest found out about the run, one fact per line (<see cref="RunDetails"/>).</summary>
    public Option<bool> Details { get; } = new("--details") { Description = "Everything ingest found out about the run(s), one fact per line with its evidence, notes and warnings (not a table)" };

    /// <summary><c>--db</c> and <c>--format</c>.</summary>
    public ReportOptions Options { get; } = new();
}
