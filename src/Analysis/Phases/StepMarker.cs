namespace LlmPipeline.Analysis.Phases;

/// <summary>What a step annotation says about its step (issue 4, docs/messy-traces.md, B30).</summary>
/// <param name="Grammar">Name of the grammar that matched (e.g. <c>sglang_step</c>, <c>vllm_execute</c>).</param>
/// <param name="Phase"><c>prefill</c>, <c>decode</c>, <c>mixed</c>, or null when the marker only bounds a step (<c>ProfilerStep#N</c>).</param>
/// <param name="BatchSize">Requests in the step, when the annotation says.</param>
/// <param name="TokenCount">Tokens in the step, when the annotation says.</param>
public sealed record StepMarker(string Grammar, string? Phase, int? BatchSize, long? TokenCount);
