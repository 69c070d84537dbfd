using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Timeline;

/// <summary><c>llmpipe timeline [--run ID]</c>: every forward pass (view <c>pass_timeline</c>; docs/reference-analysis.md, 'All-passes table').</summary>
public sealed class TimelineCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public TimelineCommandDefinition()
    {
        Command = new Command("timeline", """
            Print every forward pass: start and end relative to the trace start, duration, average and first layer,
            note (cold-start, steady-state, growing), layer and kernel counts, phase, wall/sum/busy/idle times, batch
            size and tokens from the step annotation, and why a pass is an outlier (ramp-up, or far from the median of
            its phase), kernel coverage (busy / wall; below 0.5 flagged: GPU work may be missing), replay coverage
            (share of the pass's graph-replay kernels given ops and shapes by a capture trace) (view pass_timeline;
            wall_ms is left out: it is duration_ms). All runs unless --run is given; --phase keeps one phase.
            A run whose CUDA-graph replay kernels have no launching op gets a note on stderr.

            Example:
              llmpipe timeline --run 1 --phase decode
            """) { Options.Db, Options.Format, Options.Columns, Options.Wide, Options.Run, Options.Phase };
        Options.SetAction(Command, (db, parse, io) => TimelineCommandAction.Run(this, db, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>, <c>--format</c>, <c>--run</c> (optional: all runs) and <c>--phase</c>.</summary>
    public PassListOptions Options { get; } = new();
}
