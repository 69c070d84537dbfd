namespace LlmPipeline.Analysis.Warnings;

public static partial class WarningCatalog
{
    private const string Anchors = "How passes and layers are found: docs/segmentation.md, section 1 (the anchor and the layer count).";
    private const string Passes = "How passes and layers are found: docs/segmentation.md, section 2 (passes).";

    /// <summary><c>no_kernels</c>: a device has no GPU kernels to segment.</summary>
    public static readonly WarningKind NoKernels = new("no_kernels", WarningSeverity.Failed, WarningStage.Segmentation,
        "A device of the run has no GPU kernels left to segment, so it has no passes.",
        "Nothing; if kernels were set aside, the set-aside kinds of the run say why.",
        Anchors);

    /// <summary><c>anchor_not_found</c>: the given or profile anchor kernel occurs too rarely.</summary>
    public static readonly WarningKind AnchorNotFound = new("anchor_not_found", WarningSeverity.Degraded, WarningStage.Segmentation,
        "The anchor kernel occurs too rarely in the trace. The profile's anchor is then replaced by an auto-detected one; an anchor given with --anchor-kernel leaves the run without passes.",
        "Pick an anchor from `llmpipe anchors --run N` and run `llmpipe resegment --run N --anchor-kernel NAME`.",
        Anchors);

    /// <summary><c>no_anchor</c>: no kernel name recurs regularly enough to be an anchor; no passes.</summary>
    public static readonly WarningKind NoAnchor = new("no_anchor", WarningSeverity.Failed, WarningStage.Segmentation,
        "No kernel name recurs at regular spacing, so the trace shows no layer structure and no passes were built.",
        "Give an anchor: `llmpipe resegment --run N --anchor-kernel NAME` (a kernel that runs once per layer).",
        Anchors);

    /// <summary><c>layer_count_default</c>: the layer count was not detected; the profile default is used.</summary>
    public static readonly WarningKind LayerCountDefault = new("layer_count_default", WarningSeverity.Degraded, WarningStage.Segmentation,
        "The layer count could not be detected; the profile's default layer count was used.",
        "Check the count; if it is wrong, give the model's config.json (--config) or `llmpipe resegment --run N --num-layers L`.",
        Anchors);

    /// <summary><c>no_layer_count</c>: no layer count from detection, <c>--num-layers</c> or config; no passes.</summary>
    public static readonly WarningKind NoLayerCount = new("no_layer_count", WarningSeverity.Failed, WarningStage.Segmentation,
        "The anchor was found, but the layer count could not be detected and neither --num-layers nor a config gives one, so no passes were built.",
        "`llmpipe resegment --run N --num-layers L`, or ingest again with the model's config.json (--config).",
        Anchors);

    /// <summary><c>layer_count_mismatch</c>: the config's layer count is more than a step of the trace holds.</summary>
    public static readonly WarningKind LayerCountMismatch = new("layer_count_mismatch", WarningSeverity.Degraded, WarningStage.Segmentation,
        "The config says more layers than a step of the trace holds (a pipeline-parallel stage runs only its own layers); the trace's count was used.",
        "Nothing for a pipeline-parallel stage; otherwise `llmpipe resegment --run N --num-layers L`.",
        Anchors);

    /// <summary><c>no_complete_pass</c>: fewer anchor blocks than one pass; one partial pass.</summary>
    public static readonly WarningKind NoCompletePass = new("no_complete_pass", WarningSeverity.Degraded, WarningStage.Segmentation,
        "The trace holds fewer anchor blocks than one pass; they form one partial pass.",
        "Profile a longer window, or check the layer count.",
        Passes);

    /// <summary><c>partial_pass</c>: the trace starts or ends inside a pass, which is marked partial.</summary>
    public static readonly WarningKind PartialPass = new("partial_pass", WarningSeverity.Info, WarningStage.Segmentation,
        "The trace starts or ends inside a pass (or the file was cut short): that pass is kept, marked partial (`is_partial = 1`), and reports choose complete passes by default.",
        "Nothing.",
        Passes);

    /// <summary><c>extra_anchors</c>: anchor blocks beyond the layer count (MTP, draft, or epilogue).</summary>
    public static readonly WarningKind ExtraAnchors = new("extra_anchors", WarningSeverity.Info, WarningStage.Segmentation,
        "Anchor blocks beyond the layer count at the end of a step were marked as MTP or draft (speculative decoding) blocks, or kept in the epilogue; they are not counted as layers.",
        "Nothing when the model has MTP layers or a draft model; otherwise check the layer count.",
        Anchors);

    /// <summary><c>compress_ratios_mismatch</c>: the config's <c>compress_ratios</c> do not match the layer count.</summary>
    public static readonly WarningKind CompressRatiosMismatch = new("compress_ratios_mismatch", WarningSeverity.Degraded, WarningStage.Segmentation,
        "The config's `compress_ratios` (one attention kind per layer, DeepSeek-V4) has another length than the layer count; it labels only the layers it covers.",
        "Check that the config belongs to the traced model and that the layer count is right.",
        "How layer types are named: docs/segmentation.md, section 6 (layer types).");

    /// <summary><c>no_layer_structure</c>: the auto-detected anchor has no attention kernel in its period; no layers.</summary>
    public static readonly WarningKind NoLayerStructure = new("no_layer_structure", WarningSeverity.Degraded, WarningStage.Segmentation,
        "The anchor auto-detected from its regular recurrence has no attention kernel in its period (a CNN or another model without transformer layers): passes are kept, no layers were made.",
        "Nothing for a model without transformer layers; for a transformer, give --anchor-kernel with `llmpipe resegment`.",
        "Traces without transformer layers: docs/segmentation.md, section 4.");

    private static WarningKind[] SegmentationKinds() =>
    [
        NoKernels, AnchorNotFound, NoAnchor, LayerCountDefault, NoLayerCount, LayerCountMismatch, NoCompletePass,
        PartialPass, ExtraAnchors, CompressRatiosMismatch, NoLayerStructure,
    ];
}
