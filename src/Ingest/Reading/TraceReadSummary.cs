namespace LlmPipeline.Ingest.Reading;

/// <summary>What one <see cref="TraceReader.Read"/> call saw.</summary>
/// <param name="EventCount">Trace events handed to <see cref="ITraceEventSink.OnEvent"/>.</param>
/// <param name="JsonBytes">Bytes of JSON read (the decompressed size).</param>
/// <param name="TopLevelArray">True when the document is a bare array of events rather than an object with <c>traceEvents</c>.</param>
/// <param name="Truncated">True when the document ends before it is complete (the complete events were still delivered).</param>
/// <param name="WarningCount">Warnings passed to <see cref="ITraceEventSink.OnWarning"/>.</param>
/// <param name="SkippedEventCount">Events set aside (malformed, empty or without <c>ph</c>).</param>
public sealed record TraceReadSummary(
    long EventCount,
    long JsonBytes,
    bool TopLevelArray,
    bool Truncated,
    long WarningCount = 0,
    long SkippedEventCount = 0);
