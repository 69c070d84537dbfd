namespace LlmPipeline.Analysis.Warnings;

public static partial class WarningCatalog
{
    private const string RankSources = "Ranks come from `distributedInfo`, from file names, or from nowhere, and sets of rank files can be incomplete: https://github.com/facebookresearch/HolisticTraceAnalysis/issues/107, https://github.com/vllm-project/vllm/issues/10365. See docs/messy-traces.md#b27.";

    /// <summary><c>rank_conflict</c>: the file name and <c>distributedInfo.rank</c> give different ranks.</summary>
    public static readonly WarningKind RankConflict = new("rank_conflict", WarningSeverity.Degraded, WarningStage.Captures,
        "The file name and `distributedInfo.rank` give different ranks; the `distributedInfo` rank was used.",
        "Check that the files belong together and are named after their ranks.",
        RankSources);

    /// <summary><c>rank_unknown</c>: neither <c>distributedInfo.rank</c> nor the file name gives a rank; 0 is used.</summary>
    public static readonly WarningKind RankUnknown = new("rank_unknown", WarningSeverity.Degraded, WarningStage.Captures,
        "Neither `distributedInfo.rank` nor the file name gives the run's rank; rank 0 was used.",
        "Name rank files after their ranks (`-TP-N`, `rank-N`, `_rankN`) and ingest them again.",
        RankSources);

    /// <summary><c>rank_duplicate</c>: two runs of one capture have the same rank.</summary>
    public static readonly WarningKind RankDuplicate = new("rank_duplicate", WarningSeverity.Degraded, WarningStage.Captures,
        "Two or more runs of one capture have the same rank.",
        "Check that the files come from one capture and from different ranks; remove the extra run with `llmpipe runs rm`.",
        RankSources);

    /// <summary><c>capture_missing_ranks</c>: <c>world_size</c> names ranks for which no file was given.</summary>
    public static readonly WarningKind CaptureMissingRanks = new("capture_missing_ranks", WarningSeverity.Degraded, WarningStage.Captures,
        "`world_size` says the capture has more ranks than the files given; the detail lists the missing ranks.",
        "Nothing when only some ranks were profiled; otherwise ingest the missing rank files together with the others.",
        RankSources);

    private static WarningKind[] CaptureKinds() => [RankConflict, RankUnknown, RankDuplicate, CaptureMissingRanks];
}
