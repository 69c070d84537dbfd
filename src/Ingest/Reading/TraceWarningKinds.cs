namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// The catalogue of warning kinds a <see cref="TraceReader"/> reports through <see cref="ITraceEventSink.OnWarning"/>
/// (stable snake_case codes; sources in docs/messy-traces.md). Kinds marked <i>repair</i> throw in strict mode.
/// </summary>
public static class TraceWarningKinds
{
    /// <summary>Repair: a comma before <c>]</c> or <c>}</c> was ignored (docs/messy-traces.md, B02).</summary>
    public const string TrailingComma = "trailing_comma";
    /// <summary>Repair: two commas in a row, or a comma before the first element, was ignored.</summary>
    public const string ExtraComma = "extra_comma";
    /// <summary>Repair: two elements with no comma between them were read as two.</summary>
    public const string MissingComma = "missing_comma";
    /// <summary>Repair: the document ends early; every complete event was kept. Offset = where the data ends.</summary>
    public const string TruncatedFile = "truncated_file";
    /// <summary>Repair: a top-level event array never closed (the trace-event format allows it).</summary>
    public const string UnclosedArray = "unclosed_array";
    /// <summary>Repair: a raw control byte inside a string became a space (B05).</summary>
    public const string ControlCharacter = "control_character";
    /// <summary>Repair: an unknown escape such as <c>\c</c> (Windows paths) was kept as a literal backslash (B04).</summary>
    public const string InvalidEscape = "invalid_escape";
    /// <summary>Repair: bytes that are not UTF-8 became U+FFFD (B05).</summary>
    public const string InvalidUtf8 = "invalid_utf8";
    /// <summary>Repair: <c>inf</c>, <c>-inf</c>, <c>nan</c>, <c>NaN</c>, <c>Infinity</c> became null (B06).</summary>
    public const string NonStandardNumber = "non_standard_number";
    /// <summary>Repair: a member with no value (<c>"key": ,</c>) got null (kineto PR #1213).</summary>
    public const string MissingValue = "missing_value";
    /// <summary>Repair: an event that could not be parsed (e.g. unescaped quotes, B03) was skipped; reading resumed at the next event.</summary>
    public const string MalformedEventSkipped = "malformed_event_skipped";
    /// <summary>Notice: an event without <c>ph</c> (e.g. <c>{}</c>) was skipped.</summary>
    public const string EmptyEvent = "empty_event";
    /// <summary>Repair: a broken top-level member other than <c>traceEvents</c> was dropped; events kept (B03).</summary>
    public const string MetadataMemberSkipped = "metadata_member_skipped";
    /// <summary>Repair: bytes after the end of the JSON document were ignored.</summary>
    public const string TrailingData = "trailing_data";
    /// <summary>Repair: the gzip data is corrupt or cut short; what decompressed was read.</summary>
    public const string GzipTruncated = "gzip_truncated";
    /// <summary>Notice: <c>ts</c>, <c>dur</c> or <c>id</c> given as a numeric string (B14); reported once per file.</summary>
    public const string NumericString = "numeric_string";
    /// <summary>Notice: a needed numeric field does not fit a signed 64-bit integer (or is not integral); the field is null.</summary>
    public const string NumberOutOfRange = "number_out_of_range";
    /// <summary>Notice: <c>ts</c> or <c>dur</c> is neither a number nor a numeric string; the field is absent.</summary>
    public const string InvalidTime = "invalid_time";
    /// <summary>Notice: the top-level object has no <c>traceEvents</c> array (or it is not an array).</summary>
    public const string NoTraceEvents = "no_trace_events";
}
