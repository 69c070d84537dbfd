namespace LlmPipeline.Analysis.Segmentation;

/// <summary>Whether an anchor kernel opens or closes its anchor block (docs/profiles.md, 'Anchor role').</summary>
public enum AnchorRole
{
    /// <summary>The anchor is the first kernel of its block (the only behaviour of the llm-pipeline-analysis scripts).</summary>
    Opens,

    /// <summary>The anchor is the last kernel of its block (DeepSeek-V4's <c>mhc_post_tilelang</c>).</summary>
    Closes,
}

/// <summary>
/// User overrides of segmentation; each null field means "take it from the profile, the config or the trace".
/// </summary>
/// <param name="AnchorKernel">Anchor kernel name pattern (case-insensitive substring), overriding the profile's.</param>
/// <param name="AnchorRole">Anchor role, overriding the profile's.</param>
/// <param name="NumLayers">Transformer layer count, overriding the config and detection.</param>
/// <param name="TraceCutShort">The trace file ends early (a truncated file): its last step is incomplete, so its last
/// pass is partial and its anchors say nothing about the layer count.</param>
public sealed record SegmentationOptions(string? AnchorKernel = null, AnchorRole? AnchorRole = null, int? NumLayers = null, bool TraceCutShort = false);
