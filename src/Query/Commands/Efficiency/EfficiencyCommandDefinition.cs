using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Efficiency;

/// <summary><c>llmpipe efficiency --run N [--pass P] [--layer L] [--by kernel|layer|layer-type]</c>: FLOPs, bytes,
/// achieved TFLOP/s, MFU and MBU (issue 20).</summary>
public sealed class EfficiencyCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public EfficiencyCommandDefinition()
    {
        Command = new Command("efficiency", """
            How close to the hardware a pass runs: FLOPs and bytes (from the launching ops' shapes), achieved TFLOP/s
            and GB/s, and MFU / MBU against the GPU's dense datasheet peaks (views kernel_efficiency, layer_efficiency,
            pass_efficiency). --by layer (default) prints one row per layer of the pass, layer-type one per layer type,
            kernel one per kernel with a known work (op_name cut to 22 characters; cmp_pct and bw_pct: % of the
            peak compute and bandwidth).

            Example:
              llmpipe efficiency --run 1 --pass 1 --by layer-type
            """) { Options.Db, Options.Format, Options.Columns, Options.Wide, Options.Run, Options.Pass, Layer, By };
        Options.SetAction(Command, (db, parse, io) => EfficiencyCommandAction.Run(this, db, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>The per-pass options (this command offers <c>--db</c>, <c>--format</c>, <c>--run</c> and <c>--pass</c>).</summary>
    public PassReportOptions Options { get; } = new();

    /// <summary><c>--layer L</c>: only this layer.</summary>
    public Option<int?> Layer { get; } = new("--layer", "-l") { Description = "Only this layer (0-based layer_idx)", HelpName = "L" };

    /// <summary><c>--by kernel|layer|layer-type</c>.</summary>
    public Option<string> By { get; } = new Option<string>("--by") { Description = "Rows per kernel, layer or layer-type [default: layer]", DefaultValueFactory = _ => "layer" }
        .AcceptOnlyFromAmong("kernel", "layer", "layer-type");
}
