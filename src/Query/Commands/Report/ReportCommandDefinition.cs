using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Report;

/// <summary><c>llmpipe report --run ID [--compare ID2] --out report.html</c>: one self-contained HTML report.</summary>
public sealed class ReportCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public ReportCommandDefinition()
    {
        Command = new Command("report", """
            Write one self-contained HTML file (inline SVG charts, no network access needed to view it): pass
            timeline with cold and steady passes marked, per-layer kernel time stacked by category group for the
            reported pass, layer-type clusters, top kernels and Perfetto links. With --compare, both runs side by side
            and the category-group deltas.

            Examples:
              llmpipe report --run 1 --out report.html
              llmpipe report --run 1 --compare 2 --out compare.html --db traces.db
            """) { Run, Compare, Pass, Out, Db };
        CommandRunner.SetAction(Command, (parse, io) => ReportCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--run ID</c>.</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: true);

    /// <summary><c>--compare ID</c>.</summary>
    public Option<long?> Compare { get; } = new("--compare") { Description = "Second run to show side by side, with category deltas (second minus first)", HelpName = "ID" };

    /// <summary><c>--pass N</c>.</summary>
    public Option<int?> Pass { get; } = CommonOptions.Pass("Forward pass of --run the per-layer charts show [default: the default pass; the --compare run always uses its default pass]");

    /// <summary><c>--out FILE</c>.</summary>
    public Option<string> Out { get; } = new("--out", "-o") { Description = "HTML file to write", HelpName = "FILE", Required = true };

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();
}
