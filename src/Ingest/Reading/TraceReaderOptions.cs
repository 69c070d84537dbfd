namespace LlmPipeline.Ingest.Reading;

/// <summary>Options of a <see cref="TraceReader"/>.</summary>
public sealed record TraceReaderOptions
{
    /// <summary>
    /// Initial size in bytes of the read buffer (default 1 MiB). The buffer grows (doubling) only to hold a single
    /// event larger than it; memory stays bounded by the largest event, never by the file size.
    /// </summary>
    public int BufferSize { get; init; } = 1 << 20;

    /// <summary>
    /// When true, the first syntax problem that lenient mode would repair (trailing comma, truncation, control
    /// character, invalid escape or UTF-8, malformed event...) throws a <see cref="TraceFormatException"/> with file,
    /// line, column and byte offset. When false (default), each repair is reported through
    /// <see cref="ITraceEventSink.OnWarning"/> and reading continues (docs/messy-traces.md).
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>Tests only: decode every event with the validating parser (the fast path is compared against it).</summary>
    internal bool DisableFastPath { get; init; }
}
