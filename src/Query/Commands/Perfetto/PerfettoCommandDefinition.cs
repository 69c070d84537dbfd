using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Perfetto;

/// <summary><c>llmpipe perfetto --run ID [--pass N] [--layers a,b,c] [--serve]</c>: Perfetto time ranges and deep links (docs/reference-analysis.md, 'Perfetto time mapper').</summary>
public sealed class PerfettoCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public PerfettoCommandDefinition()
    {
        Command = new Command("perfetto", """
            Print the time range of every forward pass and, with --pass or --layers, of the layers of one pass:
            start_s/end_s relative to the trace start (microsecond precision, as Perfetto's timeline shows them),
            perfetto_start_ns/perfetto_end_ns and a Perfetto UI link that opens the trace at that range (view
            perfetto_ranges). --serve then serves the run's trace file on http://127.0.0.1:9001/ so the links work.

            Examples:
              llmpipe perfetto --run 1 --pass 2 --layers 0,3,60
              llmpipe perfetto --run 1 --pass 2 --serve
            """) { Options.Db, Options.Format, Options.Columns, Options.Wide, Options.Run, Options.Pass, Layers, Options.Device, Serve, Options.Phase };
        CommandRunner.SetAction(Command, (parse, io) => PerfettoCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>The per-pass options; <c>--pass</c> adds the layer ranges of that pass.</summary>
    public PassReportOptions Options { get; } = new("Also print the layer ranges of this pass (0-based) [default with --layers: the default pass, the first complete pass followed by two steady-state passes]");

    /// <summary><c>--layers</c>: only these layers.</summary>
    public Option<string?> Layers { get; } = new("--layers") { Description = "Only these layers, comma-separated (e.g. 0,3,60)", HelpName = "a,b,c" };

    /// <summary><c>--serve</c>.</summary>
    public Option<bool> Serve { get; } = new("--serve") { Description = $"Serve the run's trace file on http://127.0.0.1:{TraceFileServer.PerfettoPort}/<file name> for the Perfetto UI links (Ctrl+C stops)" };
}
