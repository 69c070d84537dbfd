namespace LlmPipeline.TraceGen;

/// <summary>One kernel slot of a pass: its template and the layer it belongs to (-1 for prologue/epilogue/MTP head).</summary>
internal readonly record struct PlannedKernel(KernelTemplate Template, int Layer);
