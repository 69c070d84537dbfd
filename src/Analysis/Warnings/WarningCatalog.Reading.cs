namespace LlmPipeline.Analysis.Warnings;

public static partial class WarningCatalog
{
    /// <summary><c>gzip_truncated</c>: the gzip data is damaged after the end of the JSON document; every event was read.</summary>
    public static readonly WarningKind GzipTruncated = new("gzip_truncated", WarningSeverity.Repair, WarningStage.Reading,
        "The gzip data is cut short or corrupt after the end of the JSON document (its trailer, or bytes after it); every event was read.",
        "Nothing: no event is missing (damage before the end of the document fails the ingest instead).",
        "Gzipped traces written incompletely: https://github.com/pytorch/pytorch/issues/167707. See docs/messy-traces.md#b10.");

    /// <summary><c>no_trace_events</c>: the top-level object has no <c>traceEvents</c> array.</summary>
    public static readonly WarningKind NoTraceEvents = new("no_trace_events", WarningSeverity.Failed, WarningStage.Reading,
        "The top-level object has no `traceEvents` array (or it is not an array), so the file holds no events.",
        "Check that the file is a PyTorch profiler (Kineto) or Chrome trace-event file and not another JSON document.",
        "The trace-event format keeps the events of its object form in `traceEvents`: " + TraceEventFormat);

    /// <summary><c>trailing_comma</c>: a comma before <c>]</c> or <c>}</c> was ignored.</summary>
    public static readonly WarningKind TrailingComma = new("trailing_comma", WarningSeverity.Repair, WarningStage.Reading,
        "A comma stood before `]` or `}`, where JSON allows none; it was ignored and every event kept.",
        "Nothing. Give --strict to refuse such files instead.",
        "Trace writers that put a comma after every event, the last one too; Chrome and Perfetto load such files, JSON parsers refuse them: https://github.com/intel/opencl-intercept-layer/issues/367, https://github.com/pytorch/kineto/pull/1054. See docs/messy-traces.md#b02.");

    /// <summary><c>extra_comma</c>: two commas in a row, or a comma before the first element, was ignored.</summary>
    public static readonly WarningKind ExtraComma = new("extra_comma", WarningSeverity.Repair, WarningStage.Reading,
        "Two commas in a row, or a comma before the first element; the extra comma was ignored.",
        "Nothing. Give --strict to refuse such files instead.",
        "Event lists joined by scripts that add a separator too many: the same damage as a trailing comma. See docs/messy-traces.md#b02.");

    /// <summary><c>missing_comma</c>: two elements with no comma between them were read as two.</summary>
    public static readonly WarningKind MissingComma = new("missing_comma", WarningSeverity.Repair, WarningStage.Reading,
        "Two events (or two top-level members) had no comma between them; they were read as two.",
        "Nothing. Give --strict to refuse such files instead.",
        "Event lists joined by scripts that drop a separator. See docs/messy-traces.md#b02.");

    /// <summary><c>unclosed_array</c>: the top-level event array never closes.</summary>
    public static readonly WarningKind UnclosedArray = new("unclosed_array", WarningSeverity.Repair, WarningStage.Reading,
        "The top-level event array never closes; every event was kept.",
        "Nothing: the trace-event format allows it.",
        "The trace-event format lets its array form end without `]`, so that a process that dies while tracing still leaves a loadable file: " + TraceEventFormat + ". See docs/messy-traces.md#b02.");

    /// <summary><c>truncated_file</c>: the document ends early; every complete event was kept.</summary>
    public static readonly WarningKind TruncatedFile = new("truncated_file", WarningSeverity.Repair, WarningStage.Reading,
        "The JSON document ends early (the file was cut short): every complete event before the cut was kept, and the last pass is marked partial. The first byte offset is where the data ends.",
        "Copy or profile again if you need the end of the trace; reports on the complete passes are right.",
        "A profiler stopped while writing (process killed, disk full) or a copy cut short. See docs/messy-traces.md#b10.");

    /// <summary><c>control_character</c>: a raw control byte inside a string became a space.</summary>
    public static readonly WarningKind ControlCharacter = new("control_character", WarningSeverity.Repair, WarningStage.Reading,
        "A raw control byte (below 0x20) inside a string, which JSON forbids, was replaced by a space.",
        "Nothing: only names change (usually Python stack frames), never times.",
        "Python-stack event names holding garbage bytes: https://github.com/pytorch/pytorch/issues/130622. See docs/messy-traces.md#b05.");

    /// <summary><c>invalid_escape</c>: an unknown escape such as <c>\c</c> was kept as a literal backslash.</summary>
    public static readonly WarningKind InvalidEscape = new("invalid_escape", WarningSeverity.Repair, WarningStage.Reading,
        "An unknown backslash escape such as `\\c` (a Windows path) was kept as a literal backslash and its character.",
        "Nothing: the name reads as the path it was.",
        "Windows file paths written without doubled backslashes: https://github.com/pytorch/kineto/issues/617. See docs/messy-traces.md#b04.");

    /// <summary><c>invalid_utf8</c>: bytes that are not UTF-8 became U+FFFD.</summary>
    public static readonly WarningKind InvalidUtf8 = new("invalid_utf8", WarningSeverity.Repair, WarningStage.Reading,
        "Bytes that are not UTF-8 inside a string were replaced by U+FFFD.",
        "Nothing: only the names that held them change.",
        "Python-stack names with bytes that are not UTF-8, which made other tools fail tens of MB into a trace: https://github.com/pytorch/pytorch/issues/113564. See docs/messy-traces.md#b05.");

    /// <summary><c>non_standard_number</c>: <c>inf</c>, <c>nan</c> and similar tokens became null.</summary>
    public static readonly WarningKind NonStandardNumber = new("non_standard_number", WarningSeverity.Repair, WarningStage.Reading,
        "A bare `inf`, `-inf`, `nan`, `NaN` or `Infinity` token, which is not JSON, was read as null.",
        "Nothing: such values are derived figures (the bandwidth of a zero-length copy), never times.",
        "Kineto wrote the bandwidth of a memcpy that took 0 µs as `inf`: https://github.com/pytorch/kineto/issues/105. See docs/messy-traces.md#b06.");

    /// <summary><c>missing_value</c>: a member with no value got null.</summary>
    public static readonly WarningKind MissingValue = new("missing_value", WarningSeverity.Repair, WarningStage.Reading,
        "A member with no value (`\"key\": ,`) was read as null.",
        "Nothing.",
        "Kineto wrote an empty value for a member it had nothing for: https://github.com/pytorch/kineto/pull/1213. See docs/messy-traces.md#b08.");

    /// <summary><c>malformed_event_skipped</c>: an event that could not be parsed was skipped.</summary>
    public static readonly WarningKind MalformedEventSkipped = new("malformed_event_skipped", WarningSeverity.Repair, WarningStage.Reading,
        "An event that could not be parsed even after repair (for example a name with unescaped quotes) was skipped; reading went on at the next event.",
        "Check the count: skipped events are in no table. They are usually Python-stack events, rarely kernels.",
        "torch.compile code objects whose file names hold quotes, written unescaped into event names: https://github.com/pytorch/kineto/pull/1459. See docs/messy-traces.md#b03.");

    /// <summary><c>empty_event</c>: an event without <c>ph</c> (e.g. <c>{}</c>) was skipped.</summary>
    public static readonly WarningKind EmptyEvent = new("empty_event", WarningSeverity.Info, WarningStage.Reading,
        "An event without `ph` (such as `{}`) was skipped.",
        "Nothing: such an event holds nothing to keep.",
        "GPU traces written by JAX end with an empty object: https://github.com/google/perfetto/issues/6251. See docs/messy-traces.md#b08.");

    /// <summary><c>metadata_member_skipped</c>: a broken top-level member other than <c>traceEvents</c> was dropped.</summary>
    public static readonly WarningKind MetadataMemberSkipped = new("metadata_member_skipped", WarningSeverity.Repair, WarningStage.Reading,
        "A broken top-level member other than `traceEvents` (for example a log line with unescaped quotes) was dropped; every event was kept.",
        "Nothing, unless you need that member (the others are in `trace_metadata`).",
        "On-demand traces that embed log lines with quotes in a top-level member: https://github.com/pytorch/kineto/issues/1184. See docs/messy-traces.md#b03.");

    /// <summary><c>trailing_data</c>: bytes after the end of the JSON document were ignored.</summary>
    public static readonly WarningKind TrailingData = new("trailing_data", WarningSeverity.Repair, WarningStage.Reading,
        "Bytes after the end of the JSON document were ignored; every event of the document was kept.",
        "If the extra bytes are another trace (two writers on one path), give each writer its own file; otherwise nothing to do.",
        "Several processes writing one path: https://github.com/sgl-project/sglang/pull/15326. See docs/messy-traces.md#b08.");

    /// <summary><c>numeric_string</c>: <c>ts</c>, <c>dur</c> or <c>id</c> given as a numeric string; once per file.</summary>
    public static readonly WarningKind NumericString = new("numeric_string", WarningSeverity.Info, WarningStage.Reading,
        "`ts`, `dur` or `id` was given as a string holding a number, and read as that number (reported once per file).",
        "Nothing.",
        "torch_npu writes `ts` as a string: https://github.com/Ascend/pytorch/issues/133. See docs/messy-traces.md#b14.");

    /// <summary><c>number_out_of_range</c>: a needed numeric field does not fit a signed 64-bit integer.</summary>
    public static readonly WarningKind NumberOutOfRange = new("number_out_of_range", WarningSeverity.Degraded, WarningStage.Reading,
        "A field LlmPipeline needs (`ts`, `dur`, correlation, External id, stream, device) does not fit a signed 64-bit integer (or is not whole where it must be); the field was left out, and an event left without `ts` is set aside.",
        "Check the producer. Large numbers in other args are read fine.",
        "Ids beyond the 64-bit range in trace args: https://github.com/facebookresearch/HolisticTraceAnalysis/pull/324. See docs/messy-traces.md#b07.");

    /// <summary><c>invalid_time</c>: <c>ts</c> or <c>dur</c> is neither a number nor a numeric string.</summary>
    public static readonly WarningKind InvalidTime = new("invalid_time", WarningSeverity.Degraded, WarningStage.Reading,
        "`ts` or `dur` is neither a number nor a string holding one; the field was left out, so the event is set aside or kept without a duration (see the `*_without_ts` and `*_without_dur` kinds).",
        "Fix the producer.",
        "The trace-event format gives `ts` and `dur` as numbers of microseconds: " + TraceEventFormat);

    private static WarningKind[] ReadingKinds() =>
    [
        GzipTruncated, NoTraceEvents, TrailingComma, ExtraComma, MissingComma, UnclosedArray, TruncatedFile,
        ControlCharacter, InvalidEscape, InvalidUtf8, NonStandardNumber, MissingValue, MalformedEventSkipped, EmptyEvent,
        MetadataMemberSkipped, TrailingData, NumericString, NumberOutOfRange, InvalidTime,
    ];
}
