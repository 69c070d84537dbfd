using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Layers;

/// <summary><c>llmpipe layers --run ID [--pass N]</c>: one row per layer of a pass (reference §6.4).</summary>
public sealed class LayersCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public LayersCommandDefinition()
    {
        Command = new Command("layers", """
            Print one row per transformer layer of a forward pass: compress ratio, layer type, wall, sum, busy, idle and
            exposed-communication time, the time of every category group present (attention_ms, gemm_ms, ...),
            communication and kernel counts (views layer_detail and layer_category_time).

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
