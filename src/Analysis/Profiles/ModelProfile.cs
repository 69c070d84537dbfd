using LlmPipeline.Analysis.Segmentation;

namespace LlmPipeline.Analysis.Profiles;

/// <summary>
/// A model profile: how to find layer boundaries in a kernel sequence and how to categorize kernels
/// (docs/segmentation.md). Profiles are data: the
/// built-ins ship as JSON files under <c>src/Analysis/Profiles/</c>, users pass their own file with
/// <c>--profile FILE</c>.
/// </summary>
public sealed record ModelProfile
{
    /// <summary>Profile name (<c>dsv4_csa_hca</c>, <c>dsv3_mla</c>, <c>generic</c>, or a user's).</summary>
    public required string Name { get; init; }

    /// <summary>Human description.</summary>
    public string? Description { get; init; }

    /// <summary>Anchor kernel pattern (case-insensitive substring), or null to auto-detect.</summary>
    public string? AnchorKernel { get; init; }

    /// <summary>
    /// Pattern (case-insensitive substring) of the kernel that opens every layer, for models whose layers start with no
    /// recognisable normalization kernel; null when the layer's input norm marks the start (the usual case). The
    /// weakest layer-boundary evidence: module scopes and the pass's own template come first (docs/segmentation.md).
    /// </summary>
    public string? LayerStartKernel { get; init; }

    /// <summary>Whether the anchor opens or closes its block.</summary>
    public AnchorRole AnchorRole { get; init; } = AnchorRole.Opens;

    /// <summary>Anchor blocks per transformer layer (1 or more).</summary>
    public int BlocksPerLayer { get; init; } = 1;

    /// <summary>One label per block of a layer (e.g. <c>attn</c>, <c>ffn</c>); length = <see cref="BlocksPerLayer"/>.</summary>
    public IReadOnlyList<string> HalfLabels { get; init; } = ["full"];

    /// <summary>Layer count used when neither the flag, the config nor detection gives one.</summary>
    public int? DefaultNumLayers { get; init; }

    /// <summary>The profile's own category rules, evaluated before the universal rules, first match wins.</summary>
    public IReadOnlyList<CategoryRule> CategoryRules { get; init; } = [];

    /// <summary>Where the profile was loaded from (<c>built-in</c> or a file path).</summary>
    public string Source { get; init; } = "built-in";
}

/// <summary>
/// One kernel category rule: when a kernel name matches <see cref="Pattern"/> (a case-insensitive .NET regular
/// expression), the kernel gets category <see cref="Category"/> (a published key, listed by <c>llmpipe profiles</c>).
/// </summary>
/// <param name="Pattern">Case-insensitive regular expression matched anywhere in the full kernel name.</param>
/// <param name="Category">Category key stored in <c>kernels.category</c> (e.g. <c>mla</c>, <c>gemm_fp8</c>).</param>
/// <param name="Label">Display label (e.g. <c>MLA Attention</c>).</param>
/// <param name="Group">Coarse group shared across vendors (e.g. <c>attention</c>, <c>gemm</c>, <c>comm</c>).</param>
public sealed record CategoryRule(string Pattern, string Category, string Label, string Group);
