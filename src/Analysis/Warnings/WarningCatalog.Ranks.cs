namespace LlmPipeline.Analysis.Warnings;

public static partial class WarningCatalog
{
    /// <summary><c>rank_from_label</c>: a run of a merged multi-rank trace, its rank from its label.</summary>
    public static readonly WarningKind RankFromLabel = new("rank_from_label", WarningSeverity.Info, WarningStage.Ranks,
        "The run is one rank of a merged multi-rank trace: it holds the events with one rank label, and its rank comes from that label (events without a label get the lowest rank no label gives).",
        "Nothing; `llmpipe runs` lists the ranks of the file.",
        "SGLang's trace merger writes every rank into one file and prefixes event names with rank labels: https://github.com/sgl-project/sglang/issues/11413");

    /// <summary><c>rank_unlabelled_events</c>: events of a merged trace without a rank label and without kernels were not stored.</summary>
    public static readonly WarningKind RankUnlabelledEvents = new("rank_unlabelled_events", WarningSeverity.SetAside, WarningStage.Ranks,
        "In a merged multi-rank trace, events without a rank label, none of them a kernel, belong to no rank; they were not stored.",
        "Nothing: they carry no GPU time.",
        "SGLang's trace merger labels the events of each rank: https://github.com/sgl-project/sglang/issues/11413. See docs/messy-traces.md#b24.");

    /// <summary><c>concatenated_documents</c>: whole JSON documents one after another, one run each.</summary>
    public static readonly WarningKind ConcatenatedDocuments = new("concatenated_documents", WarningSeverity.Info, WarningStage.Ranks,
        "The file holds several whole JSON documents one after another (several processes wrote one path); each document became a run of its own, its rank from its `distributedInfo.rank` or its position.",
        "Nothing was lost; to avoid it, give each rank its own trace file.",
        "Every GPU rank wrote the same trace file at once: https://github.com/sgl-project/sglang/pull/15326. See docs/messy-traces.md#b42.");

    private static WarningKind[] RankKinds() => [RankFromLabel, RankUnlabelledEvents, ConcatenatedDocuments];
}
