namespace LlmPipeline.TraceGen;

/// <summary>
/// One kernel slot of a pass: its template, the layer whose time scales apply (-1 for prologue/epilogue/MTP head,
/// the MTP layer counts as layer N), and its ground truth: role, layer on this rank (-1 outside layers) and block
/// (see <see cref="KernelTruth.Block"/>).
/// </summary>
internal readonly record struct PlannedKernel(KernelTemplate Template, int Layer, TruthRole Role, int TruthLayer, int Block);
