using System.Globalization;
using Dapper;
using LlmPipeline.Analysis.Segmentation;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Captures;

/// <summary>
/// Puts the ranks of a capture on one time base (docs/messy-traces.md, B28): the lowest rank's file
/// time is the common base, and each run's <c>runs.time_offset_ns</c> is what to add to its <c>ts_ns</c> to get there.
/// By base time first: a file with relative <c>ts</c> and <c>baseTimeNanoseconds</c> has wall clock
/// <c>base_time_ns + ts_ns</c>, a file with absolute epoch <c>ts</c> (trace start at or after 1e17 ns, i.e. 1973) has
/// wall clock <c>ts_ns</c>. Without a wall clock on either side (relative <c>ts</c> without a base: never mixed with
/// the other kinds), by the end times of collective kernels (category group <c>comm</c>), which end together on every
/// rank: the k-th collective of the run is matched with the k-th of the reference and the offset is the median
/// difference of their ends. With a base time, the collectives' residual misalignment is measured and reported in
/// <c>runs.time_alignment</c>, never applied silently.
/// </summary>
public static class CaptureTimeAligner
{
    /// <summary>Traces whose first event is at or after this many ns hold absolute epoch timestamps.</summary>
    public const long AbsoluteEpochThresholdNs = 100_000_000_000_000_000;

    /// <summary>Aligns capture <paramref name="captureId"/> and stores the offsets.</summary>
    /// <returns>Run id → how its offset was found (as stored in <c>runs.time_alignment</c>).</returns>
    public static IReadOnlyDictionary<long, string> Align(SqliteConnection main, SqliteTransaction? tx, long captureId)
    {
        var runs = main.Query<(long RunId, long? Rank, long? BaseTimeNs, long? TraceStartNs)>(
            "SELECT run_id, rank, base_time_ns, trace_start_ns FROM runs WHERE capture_id = $captureId ORDER BY rank, run_id",
            new { captureId }, tx).ToList();
        var result = new Dictionary<long, string>();
        if (runs.Count == 0) return result;
        var reference = runs[0];
        var refEnds = CollectiveEnds(main, tx, reference.RunId);
        var refClock = Clock(reference.BaseTimeNs, reference.TraceStartNs);
        foreach (var run in runs)
        {
            long offset;
            string how;
            if (run.RunId == reference.RunId)
            {
                offset = 0;
                how = $"reference (rank {run.Rank}): the capture's time base";
            }
            else
            {
                var ends = CollectiveEnds(main, tx, run.RunId);
                var n = Math.Min(ends.Count, refEnds.Count);
                var clock = Clock(run.BaseTimeNs, run.TraceStartNs);
                if (clock is not null && refClock is not null)
                {
                    offset = clock.Value.Ns - refClock.Value.Ns;
                    how = clock.Value.Kind == refClock.Value.Kind ? clock.Value.Kind : $"{clock.Value.Kind} vs reference {refClock.Value.Kind}";
                    if (n > 0)
                    {
                        var residual = Median(Enumerable.Range(0, n).Select(k => refEnds[k] - (ends[k] + offset)));
                        how += string.Create(CultureInfo.InvariantCulture,
                            $"; collective ends then differ by {residual / 1e3:F3} us (median over {n} matched collectives{Counts(ends.Count, refEnds.Count)}), not applied");
                    }
                }
                else if (n > 0)
                {
                    offset = Median(Enumerable.Range(0, n).Select(k => refEnds[k] - ends[k]));
                    how = $"collective end times (median over {n} matched collectives{Counts(ends.Count, refEnds.Count)})";
                }
                else
                {
                    offset = 0;
                    how = "none: no common base time and no collective kernels to align on";
                }
            }
            main.Execute("UPDATE runs SET time_offset_ns = $offset, time_alignment = $how WHERE run_id = $runId",
                new { offset, how, runId = run.RunId }, tx);
            result[run.RunId] = how;
        }
        return result;
    }

    private static (long Ns, string Kind)? Clock(long? baseTimeNs, long? traceStartNs)
    {
        if (traceStartNs >= AbsoluteEpochThresholdNs) return (0, "absolute epoch ts");
        if (baseTimeNs is long b) return (b, "base_time_ns");
        return null;
    }

    private static string Counts(int a, int b) => a == b ? "" : $"; counts differ: {a} vs {b} on the reference";

    /// <summary>End times (ns) of the run's collective kernels on its lowest device, in start order.</summary>
    private static List<long> CollectiveEnds(SqliteConnection main, SqliteTransaction? tx, long runId) =>
        main.Query<long>("""
            SELECT k.ts_ns + k.dur_ns FROM kernel_rows AS k
            JOIN kernel_name_categories AS c ON c.run_id = k.run_id AND c.name_id = k.name_id
            JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = c.category
            WHERE k.run_id = $runId AND g.category_group = 'comm'
              AND k.device = (SELECT MIN(device) FROM kernel_rows WHERE run_id = $runId)
            ORDER BY k.ts_ns, k.kernel_idx
            """, new { runId }, tx).ToList();

    private static long Median(IEnumerable<long> values) => UpperMedian.Of(values.ToArray());
}
