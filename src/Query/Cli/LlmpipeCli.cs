using System.CommandLine;
using System.CommandLine.Invocation;
using LlmPipeline.Query.Cli.Usage;
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
    /// Builds the root command with every subcommand; every integer option and argument parses with a message that
    /// names it and its form (<see cref="IntegerValueParsers"/>).
    /// </summary>
    /// <param name="stderrIsTerminal">Whether stderr is a terminal (ingest progress is shown only then).</param>
    /// <param name="interruption">Ctrl-C as the process receives it (ingest stops cleanly on it); null: none arrives.</param>
    public static RootCommand Build(bool stderrIsTerminal = false, Interruption? interruption = null)
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

            Environment:
              LLMPIPE_DB      database file used when --db is not given [default: ./llmpipe.db]
              LLMPIPE_TMPDIR  folder for ingest's staging files (about the size of the trace's CPU-side
                              rows, removed when the ingest ends) [default: the system temp folder]

            Exit codes: 0 ok, 1 error, 2 usage error, 130 interrupted (Ctrl-C).
            """)
        {
            new IngestCommandDefinition(stderrIsTerminal, interruption ?? new Interruption()).Command,
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
        IntegerValueParsers.Apply(root);
        // Help is laid out for the same width whatever the terminal (docs/reports.md, 'Tables that fit').
        HelpLayout.Apply(root);
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">Arguments after the program name.</param>
    /// <param name="output">Results (stdout).</param>
    /// <param name="error">Warnings, notes and errors (stderr).</param>
    /// <param name="stderrIsTerminal">Whether <paramref name="error"/> is a terminal.</param>
    /// <param name="interruption">Ctrl-C as the process receives it; null: none arrives.</param>
    /// <returns>0 ok, 1 error, 2 usage error (the errors in words, <see cref="ParseErrorReport"/>), 130 interrupted.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool stderrIsTerminal = false, Interruption? interruption = null)
    {
        var root = Build(stderrIsTerminal, interruption);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var message in ParseErrorReport.Messages(parse)) error.WriteLine($"error: {message}");
            error.WriteLine(ParseErrorReport.HelpHint(parse));
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        return parse.Invoke(config);
    }
}
