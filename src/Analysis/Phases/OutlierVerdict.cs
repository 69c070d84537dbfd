namespace LlmPipeline.Analysis.Phases;

/// <summary>The outlier verdict of one pass (<c>passes.is_outlier</c>, <c>passes.outlier_reason</c>).</summary>
/// <param name="IsOutlier">Whether the pass is a ramp-up pass or far from the median of its phase.</param>
/// <param name="Reason">Why, in words (names the median it was compared with); null when not an outlier.</param>
public sealed record OutlierVerdict(bool IsOutlier, string? Reason);
