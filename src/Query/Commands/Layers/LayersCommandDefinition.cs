using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Layers;

/// <summary><c>llmpipe layers --run ID [--pass N]</c>: the parts of a pass, one row per layer plus its prologue and epilogue.</summary>
public sealed class LayersCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public LayersCommandDefinition()
    {
        Command = new Command("layers", """
            Print a forward pass part by part, in time order: its prologue (before layer 0's input norm: embedding,
            positions), one row per transformer layer (from its input norm to the next layer's start), any gap
            between layers, its epilogue (final norm, lm_head, sampling) and MTP / draft blocks. Each row: part,
            layer index, compress ratio, layer type, wall, sum, busy, idle and exposed-communication time, the time of
            every category group present (attention_ms, gemm_ms, ...), communication and kernel counts (table layers,
            views pass_parts, layer_detail and layer_category_time). The parts add up to the pass's kernel count and
            summed time.

            Example:
              llmpipe layers --run 1 --pass 2 --format csv
            """) { Db, Format, Run, Pass, Device, Phase };
        CommandRunner.SetAction(Command, (parse, io) => LayersCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--format</c>.</summary>
    public Option<string> Format { get; } = CommonOptions.Format();

    /// <summary><c>--run</c>.</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: true);

    /// <summary><c>--pass</c>.</summary>
    public Option<int?> Pass { get; } = CommonOptions.Pass();

    /// <summary><c>--device</c>.</summary>
    public Option<int?> Device { get; } = CommonOptions.Device();

    /// <summary><c>--phase</c> (issue 4).</summary>
    public Option<string?> Phase { get; } = PassScope.PhaseOption();
}
