using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Reading;

namespace LlmPipeline.Ingest.GraphReplays;

/// <summary>
/// The companion graph-capture traces of one trace file (<see cref="GraphCaptureTraceFiles"/>), read and parsed by
/// <see cref="Read"/> before the transaction that stores the run is taken, so the user's database is never held while
/// they are read; <see cref="GraphReplayAttribution.Apply"/> aligns the run's replays to them inside the transaction.
/// </summary>
/// <param name="Option">The <c>--capture-traces</c> file or folder that named them; null when they were looked for in a
/// <c>capture_traces/</c> folder next to the trace.</param>
/// <param name="Files">The companion files, in ordinal path order (the trace itself excluded).</param>
/// <param name="Captures">The files read that hold captured kernels, in <paramref name="Files"/>' order; empty when they were not read.</param>
/// <param name="Unreadable">One sentence per file that could not be read (<c>capture trace F skipped: why</c>), stored as
/// <see cref="Analysis.Warnings.WarningCatalog.CaptureTraceUnreadable"/> warnings of a run that has graph replays.</param>
public sealed record GraphCaptureTraceSet(string? Option, IReadOnlyList<string> Files, IReadOnlyList<GraphCaptureTrace> Captures,
    IReadOnlyList<string> Unreadable)
{
    /// <summary>True when <c>--capture-traces</c> named the files.</summary>
    public bool Explicit => Option is not null;

    /// <summary>No companion files.</summary>
    public static GraphCaptureTraceSet None { get; } = new(null, [], [], []);

    /// <summary>
    /// Finds the companions of <paramref name="tracePath"/> and, when the trace has graph launches (replays need them;
    /// nothing else reads them), reads and parses each one.
    /// </summary>
    /// <param name="tracePath">The main trace (its folder is searched for <c>capture_traces/</c>).</param>
    /// <param name="option"><c>--capture-traces</c> file or folder; null = auto-detect.</param>
    /// <param name="hasGraphLaunches">Whether the trace launched graphs (<c>cudaGraphLaunch</c> / <c>hipGraphLaunch</c>).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The files, and those read (empty without graph launches).</returns>
    /// <exception cref="IngestException"><paramref name="option"/> names neither a file nor a folder.</exception>
    public static GraphCaptureTraceSet Read(string tracePath, string? option, bool hasGraphLaunches, CancellationToken ct = default)
    {
        var (files, _) = GraphCaptureTraceFiles.Resolve(tracePath, option);
        if (!hasGraphLaunches || files.Count == 0) return new GraphCaptureTraceSet(option, files, [], []);
        var captures = new List<GraphCaptureTrace>();
        var unreadable = new List<string>();
        foreach (var file in files)
        {
            try
            {
                var trace = GraphCaptureTraceReader.Read(file, ct);
                if (trace.Kernels.Count > 0) captures.Add(trace);
            }
            catch (Exception ex) when (ex is TraceFormatException or IOException or UnauthorizedAccessException)
            {
                unreadable.Add($"capture trace {file} skipped: {ex.Message}");
            }
        }
        return new GraphCaptureTraceSet(option, files, captures, unreadable);
    }
}
