using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Anchors;

/// <summary><c>llmpipe anchors --run ID</c>: the candidate anchor kernels examined at ingest (table <c>anchor_candidates</c>).</summary>
public sealed class AnchorsCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public AnchorsCommandDefinition()
    {
        Command = new Command("anchors", """
            List the candidate anchor kernels (kernels that could mark layer boundaries) examined at ingest:
            occurrences, occurrences per pass, once or twice per layer, regularity of the spacing, coverage, the layer
            count each implies, and which one was chosen (chosen = 1).

            Example:
              llmpipe anchors --run 1
            """) { Options.Db, Options.Format, Options.Columns, Options.Wide, Run, Device };
        Options.SetAction(Command, (db, parse, io) => AnchorsCommandAction.Run(this, db, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c> and <c>--format</c>.</summary>
    public ReportOptions Options { get; } = new();

    /// <summary><c>--run</c>.</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: true);

    /// <summary><c>--device</c> (default: every device).</summary>
    public Option<int?> Device { get; } = new("--device") { Description = "Only this GPU device [default: every device]", HelpName = "N" };
}
