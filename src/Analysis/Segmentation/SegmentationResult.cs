using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// Totals of one forward pass (a row of <c>passes</c>). Pass totals include the pass's prologue and epilogue
/// (docs/segmentation.md, section 5). Durations are microseconds exact to the nanosecond (ns / 1000.0).
/// </summary>
/// <param name="PassIdx">0-based pass index.</param>
/// <param name="Totals">Start, end, wall, sum, busy, idle and exposed-communication time, kernel count.</param>
/// <param name="LayerCount">Transformer layers found in the pass.</param>
/// <param name="IsPartial">Whether the pass lacks layers (the trace starts or ends inside it).</param>
/// <param name="Note"><c>cold-start</c>, <c>steady-state</c>, <c>growing &lt;g&gt;x</c>, or null (<see cref="PassNotes"/>; phases are not known yet, so every pass counts as one phase until phases are assigned).</param>
/// <param name="Phase"><c>prefill</c>, <c>decode</c>, <c>mixed</c> or <c>idle</c>; null when unknown or not yet assigned.</param>
public sealed record PassSummary(
    int PassIdx,
    KernelTotals Totals,
    int LayerCount,
    bool IsPartial,
    string? Note,
    string? Phase);

/// <summary>
/// Totals of one transformer layer of one pass (a row of <c>layers</c>); prologue and epilogue kernels are not
/// part of any layer. Durations are microseconds exact to the nanosecond.
/// </summary>
/// <param name="PassIdx">0-based pass index.</param>
/// <param name="LayerIdx">0-based layer index within the pass.</param>
/// <param name="LayerType">The layer's type label (<c>layers.layer_type</c>).</param>
/// <param name="CompressRatio">The config's <c>compress_ratios[layer_idx]</c>, null when none.</param>
/// <param name="Totals">Start, end, wall, sum, busy, idle and exposed-communication time, kernel count.</param>
/// <param name="CommCount">Communication kernels in the layer.</param>
public sealed record LayerSummary(
    int PassIdx,
    int LayerIdx,
    string LayerType,
    int? CompressRatio,
    KernelTotals Totals,
    int CommCount);

/// <summary>
/// A kernel name considered as a layer anchor (a row of <c>anchor_candidates</c>); see docs/segmentation.md,
/// section 1 ("Auto-detection").
/// </summary>
/// <param name="Name">Full kernel name.</param>
/// <param name="Occurrences">Occurrences in the device's kernel sequence.</param>
/// <param name="PerLayer">1 when taken once per layer, 2 when every second occurrence is regular.</param>
/// <param name="Regularity">Fraction (0..1) of spacings within 10 % of the previous spacing.</param>
/// <param name="Coverage">Occurrences inside regular runs divided by <paramref name="PerLayer"/>.</param>
/// <param name="ImpliedLayers">Layer count the candidate implies per pass, when it can tell.</param>
/// <param name="Chosen">Whether segmentation used this candidate.</param>
public sealed record AnchorCandidate(
    string Name,
    int Occurrences,
    int PerLayer,
    double Regularity,
    double Coverage,
    int? ImpliedLayers,
    bool Chosen);

/// <summary>The anchor segmentation used, and why (shown in the ingest summary).</summary>
/// <param name="Pattern">Anchor pattern matched case-insensitively as a substring, or null when none was found.</param>
/// <param name="Role">Whether the anchor opens or closes its block.</param>
/// <param name="BlocksPerLayer">Anchor blocks per transformer layer.</param>
/// <param name="Reason">One sentence: where the anchor came from (flag, profile, auto-detection and its numbers).</param>
public sealed record AnchorChoice(string? Pattern, AnchorRole Role, int BlocksPerLayer, string Reason);

/// <summary>
/// The segmentation of one device's kernel sequence into forward passes, layers and anchor blocks.
/// Per-kernel arrays are parallel to <see cref="KernelSequence"/>.
/// </summary>
public sealed record SegmentationResult
{
    /// <summary>Pass index of each kernel, or -1 when it belongs to no pass.</summary>
    public required int[] PassIdx { get; init; }

    /// <summary>Layer index of each kernel, or -1 when it is not inside a layer.</summary>
    public required int[] LayerIdx { get; init; }

    /// <summary>Anchor block index within the pass of each kernel, or -1 (prologue, epilogue, outside).</summary>
    public required int[] BlockIdx { get; init; }

    /// <summary>Index into the profile's half labels of each kernel's block, or -1.</summary>
    public required sbyte[] HalfIdx { get; init; }

    /// <summary>Role of each kernel.</summary>
    public required KernelRole[] Role { get; init; }

    /// <summary>Passes in time order, numbered from 0.</summary>
    public required IReadOnlyList<PassSummary> Passes { get; init; }

    /// <summary>Layers of every pass, ordered by pass then layer.</summary>
    public required IReadOnlyList<LayerSummary> Layers { get; init; }

    /// <summary>Parts of every pass (prologue, layers, gaps, epilogue, MTP/draft/backward), ordered by pass then start.</summary>
    public IReadOnlyList<PassPart> Parts { get; init; } = [];

    /// <summary>The anchor used.</summary>
    public required AnchorChoice Anchor { get; init; }

    /// <summary>Layer count per pass used by every report.</summary>
    public required int NumLayers { get; init; }

    /// <summary>Where <see cref="NumLayers"/> came from (<c>--num-layers</c>, config key, detection and how).</summary>
    public required string NumLayersSource { get; init; }

    /// <summary>Anchor candidates examined (empty when the anchor was given).</summary>
    public required IReadOnlyList<AnchorCandidate> Candidates { get; init; }

    /// <summary>Label of each half index (<see cref="HalfIdx"/>): the profile's half labels, or defaults when the
    /// auto-detected anchor changed the blocks per layer (<c>full</c>; <c>attn</c>/<c>ffn</c>).</summary>
    public IReadOnlyList<string> HalfLabels { get; init; } = ["full"];

    /// <summary>What set the layer boundaries (<c>runs.layer_evidence</c>).</summary>
    public LayerEvidence Evidence { get; init; } = LayerEvidence.None;

    /// <summary>One sentence on how the layer boundaries were placed (shown in the ingest summary and <c>runs</c>).</summary>
    public string EvidenceDetail { get; init; } = "";

    /// <summary>Human-readable warnings (no anchor found, partial passes, layer count mismatches...).</summary>
    public required IReadOnlyList<SegmentationWarning> Warnings { get; init; }
}

/// <summary>A segmentation warning: its kind (from <see cref="WarningCatalog"/>; the code is stored in
/// <c>ingest_warnings.kind</c>) and a sentence with this trace's numbers.</summary>
public sealed record SegmentationWarning(WarningKind Kind, string Detail);
