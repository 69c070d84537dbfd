namespace LlmPipeline.TraceGen;

/// <summary>Optional per-pass <c>user_annotation</c> / <c>gpu_user_annotation</c> range, as serving frameworks emit.</summary>
public enum StepAnnotationStyle
{
    /// <summary>No step annotation.</summary>
    None,

    /// <summary>SGLang: <c>step[DECODE bs=32]</c>.</summary>
    SGLang,

    /// <summary>vLLM V1: <c>execute_context_0(0)_generation_32(32)</c>.</summary>
    Vllm,
}
