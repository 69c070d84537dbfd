using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Layers;

/// <summary><c>llmpipe layers --run ID [--pass N]</c>: the parts of a pass, one row per layer plus its prologue and epilogue.</summary>
public sealed class LayersCommandDefinition() : PassReportCommandDefinition("layers", Description, LayersCommandAction.Run)
{
    /// <summary>The command's help text.</summary>
    private const string Description = """
        Print a forward pass part by part, in time order: its prologue (before layer 0's input norm: embedding,
        positions), one row per transformer layer (from its input norm to the next layer's start), any gap
        between layers, its epilogue (final norm, lm_head, sampling) and MTP / draft blocks. Each row: part,
        layer index, compress ratio, layer type, wall, sum, busy, idle and exposed-communication time, the time of
        every category group present (attention_ms, gemm_ms, ...), communication and kernel counts (table layers,
        views pass_parts, layer_detail and layer_category_time). The parts add up to the pass's kernel count and
        summed time.

        Example:
          llmpipe layers --run 1 --pass 2 --format csv
        """;
}
