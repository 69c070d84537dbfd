using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Compare;

/// <summary><c>llmpipe compare --run A --run B [...]</c>: run-vs-run comparison by key (issue 5).</summary>
public sealed class CompareCommandDefinition
{
    /// <summary>The keys a comparison can be made by.</summary>
    public static readonly string[] ByValues = ["category", "group", "layer", "layer-type", "kernel", "pass"];

    /// <summary>Builds the command.</summary>
    public CompareCommandDefinition()
    {
        By.AcceptOnlyFromAmong(ByValues);
        Command = new Command("compare", """
            Compare runs key by key: per category key, category group, layer index, layer type, simplified kernel name
            or pass index, the time in each run (microseconds), and for every run after the first its difference and
            ratio to the first (the baseline), sorted by the largest absolute difference. Keys are matched by key and
            index, not by kernel name, so renamed kernels and other vendors' kernels meet (--by group puts
            flash_fwd_kernel and attn_fwd both under attention). Each run is read at its default pass (the first
            complete pass followed by two steady-state passes, else the last complete pass) unless --pass / --pass-b
            say otherwise; --by pass compares every pass. Numbers come from the views run_category_time, run_layer_time,
            kernel_summary and pass_timeline.

            Examples:
              llmpipe compare --run 1 --run 2 --by group
              llmpipe compare --run 1 --run 2 --run 3 --by layer --pass 2 --pass-b 3 --format csv
            """) { Options.Db, Options.Format, Options.Columns, Options.Wide, Runs, By, Pass, PassB, Device };
        CommandRunner.SetAction(Command, (parse, io) => CompareCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c> and <c>--format</c>.</summary>
    public ReportOptions Options { get; } = new();

    /// <summary><c>--run ID</c>, repeated: the first is the baseline.</summary>
    public Option<long[]> Runs { get; } = CommonOptions.RunList(
        "Run ids, repeated or comma-separated (at least two); the first run is the baseline of every difference and ratio", required: true);

    /// <summary><c>--by</c>.</summary>
    public Option<string> By { get; } = new("--by")
    {
        Description = "Key: category, group, layer, layer-type (adds each run's MFU and MBU per layer type), kernel or pass",
        HelpName = "KEY",
        DefaultValueFactory = _ => "category",
    };

    /// <summary><c>--pass N</c>: the pass of the baseline (and of every run when --pass-b is absent).</summary>
    public Option<int?> Pass { get; } = CommonOptions.Pass("Pass of the first run, and of the others when --pass-b is not given [default: each run's default pass]");

    /// <summary><c>--pass-b M</c>: the pass of every run after the first.</summary>
    public Option<int?> PassB { get; } = new("--pass-b")
    {
        Description = "Pass of every run after the first [default: --pass, else each run's default pass]",
        HelpName = "M",
    };

    /// <summary><c>--device</c>.</summary>
    public Option<int?> Device { get; } = CommonOptions.Device();
}
