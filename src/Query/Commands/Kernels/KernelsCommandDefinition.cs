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
            """) { Options.Db, Options.Format, Options.Columns, Options.Wide, Options.Run, Options.Pass, Layer, CompareLayer, Options.Device, Options.Phase };
        CommandRunner.SetAction(Command, (parse, io) => KernelsCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>The per-pass options; <c>--format</c> also takes <c>compute-flow</c>.</summary>
    public PassReportOptions Options { get; } = new(extraFormats: KernelsCommandAction.ComputeFlow);

    /// <summary><c>--layer</c>.</summary>
    public Option<int?> Layer { get; } = new("--layer", "-l") { Description = "Layer (0-based layer_idx)", HelpName = "L", Required = true };

    /// <summary><c>--compare-layer</c>.</summary>
    public Option<int?> CompareLayer { get; } = new("--compare-layer") { Description = "Second layer of the same pass to compare with", HelpName = "L2" };
}
