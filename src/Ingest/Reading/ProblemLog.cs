namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// One choke point for everything a read finds wrong: a <i>repair</i> throws in strict mode and is a warning
/// otherwise; a <i>notice</i> is always a warning; an error is always a <see cref="TraceFormatException"/>.
/// </summary>
internal sealed class ProblemLog(ITraceEventSink sink, bool strict, string filePath, Func<long, (long Line, long Column)> locate)
{
    public long WarningCount { get; private set; }

    public bool Strict => strict;

    public void Repair(string kind, long byteOffset, string detail)
    {
        if (strict) throw Error(byteOffset, $"{detail} ({kind}; strict mode)");
        Notice(kind, byteOffset, detail);
    }

    public void Notice(string kind, long byteOffset, string detail)
    {
        WarningCount++;
        sink.OnWarning(kind, byteOffset, detail);
    }

    public TraceFormatException Error(long byteOffset, string problem, Exception? inner = null)
    {
        var (line, column) = locate(byteOffset);
        return new TraceFormatException(filePath, byteOffset, line, column, problem, inner);
    }
}
