namespace LlmPipeline.TraceGen;

/// <summary>
/// Which pipeline-parallel stage the traced rank runs. A stage runs <see cref="TraceSpec.NumLayers"/> consecutive layers
/// of the model starting at model layer <see cref="TraceSpec.FirstModelLayer"/>; its layers are numbered 0 … n−1 in the
/// truth, as the trace alone can tell them.
/// </summary>
public enum PipelineStage
{
    /// <summary>No pipeline parallelism: the whole model (embedding, every layer, lm_head and sampling).</summary>
    None,

    /// <summary>First stage: embedding in the prologue; the epilogue is only the send of the hidden states (no lm_head).</summary>
    First,

    /// <summary>Middle stage: a receive in the prologue, a send in the epilogue (no embedding, no lm_head).</summary>
    Middle,

    /// <summary>Last stage: a receive in the prologue (no embedding); the epilogue is the final norm, lm_head and sampling.</summary>
    Last,
}
