namespace LlmPipeline.Analysis.Warnings;

/// <summary>
/// Every kind of warning an ingest (or a resegment) can store in <c>ingest_warnings</c>: one
/// <see cref="WarningKind"/> per code, each with its severity, stage, meaning, what to do and source. The reader,
/// the normalizer, the ingest pipeline and the segmenter take their kinds from here (their APIs accept a
/// <see cref="WarningKind"/>, never a string), <c>llmpipe warnings --kinds</c> prints it, and <c>docs/warnings.md</c> is
/// generated from it. The kinds of each stage are declared in the part of this class named after the stage
/// (<c>WarningCatalog.Reading.cs</c>, ...).
/// </summary>
public static partial class WarningCatalog
{
    /// <summary>The trace-event format's specification (Chrome's "Trace Event Format" document), which Kineto follows.</summary>
    public const string TraceEventFormat = "https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU";

    private static IReadOnlyList<WarningKind>? _all;
    private static Dictionary<string, WarningKind>? _byCode;

    /// <summary>Every kind: by stage (in <see cref="WarningStage"/> order), within a stage in the order a trace meets them.</summary>
    public static IReadOnlyList<WarningKind> All => _all ??=
        [.. ReadingKinds(), .. NormalizingKinds(), .. RankKinds(), .. IngestKinds(), .. GraphReplayKinds(), .. CaptureKinds(), .. SegmentationKinds()];

    /// <summary>The kind stored as <paramref name="code"/>, or null when no kind has that code (e.g. a database
    /// written by a version with other kinds).</summary>
    public static WarningKind? Find(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        _byCode ??= All.ToDictionary(k => k.Code, StringComparer.Ordinal);
        return _byCode.GetValueOrDefault(code);
    }

    /// <summary>Whether the kind stored as <paramref name="code"/> is a note: severity <see cref="WarningSeverity.Info"/>,
    /// nothing wrong with the trace. A code the catalogue does not know is a warning.</summary>
    public static bool IsNote(string code) => Find(code)?.Severity == WarningSeverity.Info;

    /// <summary>The kinds <paramref name="stage"/> writes, in catalogue order.</summary>
    public static IReadOnlyList<WarningKind> OfStage(WarningStage stage) => All.Where(k => k.Stage == stage).ToList();

    private static readonly Dictionary<WarningSeverity, (string Label, string Description)> Severities = new()
    {
        [WarningSeverity.Info] = ("info", "Nothing was lost and nothing changed meaning; said so that a number can be traced back."),
        [WarningSeverity.Repair] = ("repair", "The file broke the JSON or gzip format; the reader repaired it and kept every event it could read. `--strict` refuses the file instead."),
        [WarningSeverity.SetAside] = ("set_aside", "Events were set aside: they are in no table, and every total leaves them out."),
        [WarningSeverity.Degraded] = ("degraded", "The run is stored, but some of its values are NULL, partial or less certain."),
        [WarningSeverity.Failed] = ("failed", "A step of the analysis gave no result for the run (no events, or no passes)."),
    };

    private static readonly Dictionary<WarningStage, (string Label, string Description)> Stages = new()
    {
        [WarningStage.Reading] = ("reading", "The reader: JSON and gzip syntax and the types of the fields it needs."),
        [WarningStage.Normalizing] = ("normalizing", "The normalizer: events become kernels, launches, annotations and memory operations."),
        [WarningStage.Ranks] = ("ranks", "One file becomes several runs: the ranks of a merged trace, or documents written one after another."),
        [WarningStage.Ingest] = ("ingest", "The ingest around segmentation: per-device kernel checks, launching operators, GPU peaks."),
        [WarningStage.GraphReplays] = ("graph_replays", "Kernels of CUDA/HIP-graph replays take their operators from graph-capture traces."),
        [WarningStage.Captures] = ("captures", "The rank files of one multi-rank capture are grouped and given their ranks."),
        [WarningStage.Segmentation] = ("segmentation", "The segmenter finds forward passes and layers; `llmpipe resegment` and `llmpipe recategorize` replace these warnings."),
    };

    /// <summary>The snake_case name of a severity, as printed (<c>info</c>, <c>repair</c>, <c>set_aside</c>, <c>degraded</c>, <c>failed</c>).</summary>
    /// <exception cref="KeyNotFoundException">Not a defined severity.</exception>
    public static string Label(WarningSeverity severity) => Severities[severity].Label;

    /// <summary>The snake_case name of a stage, as printed (<c>reading</c>, <c>normalizing</c>, ..., <c>segmentation</c>).</summary>
    /// <exception cref="KeyNotFoundException">Not a defined stage.</exception>
    public static string Label(WarningStage stage) => Stages[stage].Label;

    /// <summary>What a severity means for the run's numbers, in one sentence for users.</summary>
    /// <exception cref="KeyNotFoundException">Not a defined severity.</exception>
    public static string Describe(WarningSeverity severity) => Severities[severity].Description;

    /// <summary>What a stage does, in one sentence for users.</summary>
    /// <exception cref="KeyNotFoundException">Not a defined stage.</exception>
    public static string Describe(WarningStage stage) => Stages[stage].Description;
}
