using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// One choke point for everything a read finds wrong: a kind whose severity is <see cref="WarningSeverity.Repair"/>
/// throws in strict mode and is a warning otherwise; any other kind (a notice) is always a warning; an error is always
/// a <see cref="TraceFormatException"/>.
/// </summary>
internal sealed class ProblemLog(ITraceEventSink sink, bool strict, string filePath, Func<long, (long Line, long Column)> locate)
{
    public long WarningCount { get; private set; }

    public bool Strict => strict;

    /// <summary>Reports one problem: a <see cref="WarningSeverity.Repair"/> kind throws in strict mode, every other
    /// kind (a notice) is always a warning.</summary>
    public void Report(WarningKind kind, long byteOffset, string detail)
    {
        if (strict && kind.Severity == WarningSeverity.Repair) throw Error(byteOffset, $"{detail} ({kind.Code}; strict mode)");
        WarningCount++;
        sink.OnWarning(kind, byteOffset, detail);
    }

    public TraceFormatException Error(long byteOffset, string problem, Exception? inner = null)
    {
        var (line, column) = locate(byteOffset);
        return new TraceFormatException(filePath, byteOffset, line, column, problem, inner);
    }
}
