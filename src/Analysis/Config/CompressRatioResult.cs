namespace LlmPipeline.Analysis.Config;

/// <summary>Compress ratios per layer and, when they do not match the layer count, a warning.</summary>
/// <param name="Ratios">Ratio of layer i at index i; covers at most the layer count (may cover fewer layers).</param>
/// <param name="Warning">Why the ratios do not match the layer count, or null.</param>
public sealed record CompressRatioResult(IReadOnlyList<int> Ratios, string? Warning);
