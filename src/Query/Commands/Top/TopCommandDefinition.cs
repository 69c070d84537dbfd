using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Top;

/// <summary><c>llmpipe top --run ID [--pass N | --all-passes] [--by name|category]</c>: the kernels that dominate (view <c>kernel_summary</c>).</summary>
public sealed class TopCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public TopCommandDefinition()
    {
        Command = new Command("top", """
            Rank kernels (by simplified name) or categories by total GPU time in one forward pass or the whole run:
            count, total, mean, min and max duration in microseconds and share of the scope's GPU time in percent,
            like nsys stats' cuda_gpu_kern_sum (view kernel_summary).

            Examples:
              llmpipe top --run 1 --pass 2 --limit 10
              llmpipe top --run 1 --all-passes --by category
            """) { Options.Db, Options.Format, Options.Columns, Options.Wide, Options.Run, Options.Pass, AllPasses, By, Limit, Options.Device, Options.Phase };
        CommandRunner.SetAction(Command, (parse, io) => TopCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>The per-pass options.</summary>
    public PassReportOptions Options { get; } = new();

    /// <summary><c>--all-passes</c>.</summary>
    public Option<bool> AllPasses { get; } = new("--all-passes") { Description = "Every kernel of the run and device, inside a pass or not" };

    /// <summary><c>--by</c>.</summary>
    public Option<string> By { get; } = new Option<string>("--by") { Description = "Group by simplified kernel name or by category", HelpName = "name|category", DefaultValueFactory = _ => "name" }
        .AcceptOnlyFromAmong("name", "category");

    /// <summary><c>--limit</c>.</summary>
    public Option<int> Limit { get; } = new("--limit", "-n") { Description = "Rows to print; 0 prints all", HelpName = "N", DefaultValueFactory = _ => 20 };
}
