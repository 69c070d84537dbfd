using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Windows;

/// <summary>
/// <c>llmpipe windows [--run ID] [--device N] [--phase PHASE]</c>: runs of consecutive passes of one phase (view
/// <c>pass_windows</c>; issue 4, docs/messy-traces.md, B31).
/// </summary>
public sealed class WindowsCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public WindowsCommandDefinition()
    {
        Command = new Command("windows", """
            Print the phase windows of each run and device: every maximal run of consecutive forward passes that
            share one phase, labelled with that phase (unknown when no annotation or kernel told it), with its first
            and last pass, pass count, steady passes (complete and not ramp-up or outlier), summed and mean wall time
            (view pass_windows). The label always comes from the passes inside; --phase keeps the windows of one
            phase and is an error, naming the phases present, when the run has no pass of it.

            Examples:
              llmpipe windows --run 1
              llmpipe windows --run 1 --phase prefill --format csv
            """) { Options.Db, Options.Format, Options.Columns, Options.Wide, Options.Run, Options.Device, Options.Phase };
        Options.SetAction(Command, (db, parse, io) => WindowsCommandAction.Run(this, db, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>, <c>--format</c>, <c>--run</c> and <c>--device</c> (optional: all runs and devices) and <c>--phase</c>.</summary>
    public PassListOptions Options { get; } = new();
}
