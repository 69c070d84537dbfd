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
            """) { Db, Format, Run, Device, Phase };
        CommandRunner.SetAction(Command, (parse, io) => WindowsCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--format</c>.</summary>
    public Option<string> Format { get; } = CommonOptions.Format();

    /// <summary><c>--run</c> (optional: all runs).</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: false);

    /// <summary><c>--device</c> (optional: all devices).</summary>
    public Option<int?> Device { get; } = CommonOptions.Device();

    /// <summary><c>--phase</c>.</summary>
    public Option<string?> Phase { get; } = PassScope.PhaseOption(listsPasses: true);
}
