using System.CommandLine;
using System.CommandLine.Invocation;
using LlmPipeline.Query.Commands.Anchors;
using LlmPipeline.Query.Commands.Clusters;
using LlmPipeline.Query.Commands.Compare;
using LlmPipeline.Query.Commands.Efficiency;
using LlmPipeline.Query.Commands.Export;
using LlmPipeline.Query.Commands.Ingest;
using LlmPipeline.Query.Commands.Kernels;
using LlmPipeline.Query.Commands.Layers;
using LlmPipeline.Query.Commands.Perfetto;
using LlmPipeline.Query.Commands.Profiles;
using LlmPipeline.Query.Commands.Recategorize;
using LlmPipeline.Query.Commands.Report;
using LlmPipeline.Query.Commands.Resegment;
using LlmPipeline.Query.Commands.Runs;
using LlmPipeline.Query.Commands.Schema;
using LlmPipeline.Query.Commands.Skew;
using LlmPipeline.Query.Commands.Sql;
using LlmPipeline.Query.Commands.Timeline;
using LlmPipeline.Query.Commands.Top;
using LlmPipeline.Query.Commands.Warnings;
using LlmPipeline.Query.Commands.Windows;

namespace LlmPipeline.Query.Cli;

/// <summary>The <c>llmpipe</c> command tree and its entry point (tests call <see cref="Run"/> in-process).</summary>
public static class LlmpipeCli
{
    /// <summary>
    /// Width of <c>--help</c>, in characters, whatever the terminal: the command descriptions are wrapped by hand at
    /// 110 characters; option descriptions wrap at this width.
    /// </summary>
    public const int HelpWidth = 120;

    /// <summary>Builds the root command with every subcommand.</summary>
    /// <param name="stderrIsTerminal">Whether stderr is a terminal (ingest progress is shown only then).</param>
    public static RootCommand Build(bool stderrIsTerminal = false)
    {
        var root = new RootCommand("""
            llmpipe: ingest LLM profiler traces (torch.profiler / Kineto JSON) into one SQLite database, segmented into
            forward passes and transformer layers, and query them with canned reports and SQL.

            Examples:
              llmpipe ingest trace.json.gz --config config.json
              llmpipe timeline
              llmpipe layers --run 1
              llmpipe kernels --run 1 --pass 2 --layer 3 --format json
              llmpipe sql "SELECT * FROM layer_detail WHERE run_id = 1 AND pass_idx = 2"
            """)
        {
            new IngestCommandDefinition(stderrIsTerminal).Command,
            new RunsCommandDefinition().Command,
            new TimelineCommandDefinition().Command,
            new WindowsCommandDefinition().Command,
            new LayersCommandDefinition().Command,
            new ClustersCommandDefinition().Command,
            new KernelsCommandDefinition().Command,
            new PerfettoCommandDefinition().Command,
            new TopCommandDefinition().Command,
            new AnchorsCommandDefinition().Command,
            new CompareCommandDefinition().Command,
            new EfficiencyCommandDefinition().Command,
            new SkewCommandDefinition().Command,
            new ResegmentCommandDefinition().Command,
            new RecategorizeCommandDefinition().Command,
            new WarningsCommandDefinition().Command,
            new ProfilesCommandDefinition().Command,
            new SqlCommandDefinition().Command,
            new SchemaCommandDefinition().Command,
            new ExportCommandDefinition().Command,
            new ReportCommandDefinition().Command,
        };
        // Help is laid out for the same width whatever the terminal (docs/reports.md, 'Tables that fit').
        foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
            if (help.Action is System.CommandLine.Help.HelpAction action) action.MaxWidth = HelpWidth;
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">Arguments after the program name.</param>
    /// <param name="output">Results (stdout).</param>
    /// <param name="error">Warnings, notes and errors (stderr).</param>
    /// <param name="stderrIsTerminal">Whether <paramref name="error"/> is a terminal.</param>
    /// <returns>0 ok, 1 error, 2 usage error.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool stderrIsTerminal = false)
    {
        var root = Build(stderrIsTerminal);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var e in parse.Errors) error.WriteLine($"error: {e.Message}");
            var name = parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ";
            error.WriteLine($"Run 'llmpipe {name}--help' for usage.");
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        return parse.Invoke(config);
    }
}
