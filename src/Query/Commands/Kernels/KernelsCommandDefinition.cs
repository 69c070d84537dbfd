using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Kernels;

/// <summary><c>llmpipe kernels --run ID --pass N --layer L [--format ...] [--compare-layer L2]</c>: one layer's kernels (docs/reference-analysis.md, 'Kernel breakdown').</summary>
public sealed class KernelsCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public KernelsCommandDefinition()
    {
        Command = new Command("kernels", """
            Break one layer down into its kernels: a category summary (time, share of the layer's summed kernel time,
            count, bar), then every kernel in hotness order (duration descending, then start, then index) with its
            simplified name (views layer_category_time and layer_kernels). --format json writes one document
            {metadata, category_summary, kernels} (the layout of the per-layer JSON of the analysis scripts
            LlmPipeline grew from, so their consumers read it unchanged); compute-flow adds the model architecture
            and per kernel the half, category, start relative to the trace and the launching operator's input dims.
            --compare-layer L2 adds layer L2 and the kernel-type difference (one JSON document with --format json).

            Examples:
              llmpipe kernels --run 1 --pass 2 --layer 3
              llmpipe kernels --run 1 --pass 2 --layer 3 --compare-layer 4 --format json
            """) { Db, Format, Run, Pass, Layer, CompareLayer, Device, Phase };
        CommandRunner.SetAction(Command, (parse, io) => KernelsCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--format</c> (report formats plus <c>compute-flow</c>).</summary>
    public Option<string> Format { get; } = CommonOptions.Format(KernelsCommandAction.ComputeFlow);

    /// <summary><c>--run</c>.</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: true);

    /// <summary><c>--pass</c>.</summary>
    public Option<int?> Pass { get; } = CommonOptions.Pass();

    /// <summary><c>--layer</c>.</summary>
    public Option<int?> Layer { get; } = new("--layer", "-l") { Description = "Layer (0-based layer_idx)", HelpName = "L", Required = true };

    /// <summary><c>--compare-layer</c>.</summary>
    public Option<int?> CompareLayer { get; } = new("--compare-layer") { Description = "Second layer of the same pass to compare with", HelpName = "L2" };

    /// <summary><c>--device</c>.</summary>
    public Option<int?> Device { get; } = CommonOptions.Device();

    /// <summary><c>--phase</c> (issue 4).</summary>
    public Option<string?> Phase { get; } = PassScope.PhaseOption();
}
