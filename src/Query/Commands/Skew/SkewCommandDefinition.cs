using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Skew;

/// <summary><c>llmpipe skew --capture ID [--pass N]</c>: per-layer rank skew of a multi-rank capture (issue 5).</summary>
public sealed class SkewCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public SkewCommandDefinition()
    {
        Command = new Command("skew", """
            Rank skew of a capture (the rank files of one profiling run): per layer of a pass, the wall time on each
            rank, the spread (max - min), the slowest rank, the time each rank spent in communication kernels, and the
            largest difference of layer start times on the capture's common time base (view rank_layer_skew; the
            alignment of each rank is shown by 'llmpipe runs'). The pass defaults to the lowest rank's default pass.

            Example:
              llmpipe skew --capture 1 --pass 2 --format csv
            """) { Options.Db, Options.Format, Options.Columns, Options.Wide, Capture, Pass };
        Options.SetAction(Command, (db, parse, io) => SkewCommandAction.Run(this, db, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c> and <c>--format</c>.</summary>
    public ReportOptions Options { get; } = new();

    /// <summary><c>--capture ID</c>.</summary>
    public Option<long?> Capture { get; } = new("--capture", "-c")
    {
        Description = "Capture id (column capture_id of 'llmpipe runs')",
        HelpName = "ID",
        Required = true,
    };

    /// <summary><c>--pass N</c>.</summary>
    public Option<int?> Pass { get; } = CommonOptions.Pass("Forward pass (0-based pass_idx) [default: the lowest rank's default pass]");
}
