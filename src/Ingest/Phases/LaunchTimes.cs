using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Phases;

/// <summary>
/// The first launch time (ns) of each launch correlation id of a run (<c>MIN(launches.ts_ns)</c> per correlation), for
/// the CPU-side step markers of <see cref="PhaseAssignment"/>. Correlation ids are consecutive integers the profiler
/// hands out per runtime call, so they are kept in one array indexed by id minus the least id (8 bytes per id) when
/// the ids are dense enough; a dictionary otherwise. A 193 MB trace: 141 k launches in 1.1 MB instead of a growing
/// dictionary's 4.5 MB (and its resized copies).
/// </summary>
internal sealed class LaunchTimes
{
    private const long Missing = long.MinValue;
    private readonly long _first;
    private readonly long[]? _dense;
    private readonly Dictionary<long, long>? _sparse;

    private LaunchTimes(long first, long[]? dense, Dictionary<long, long>? sparse) => (_first, _dense, _sparse) = (first, dense, sparse);

    /// <summary>No launch times (a run without CPU-side markers needs none).</summary>
    public static LaunchTimes None { get; } = new(0, [], null);

    /// <summary>Reads run <paramref name="runId"/>'s launch times.</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public static LaunchTimes Read(SqliteConnection connection, SqliteTransaction? tx, long runId)
    {
        // Each bound alone is one index probe (launches_by_run); MIN and MAX in one query would scan.
        var (first, last, kernels) = connection.QuerySingle<(long?, long?, long?)>("""
            SELECT (SELECT MIN(correlation) FROM launches WHERE run_id = @runId AND correlation IS NOT NULL),
                   (SELECT MAX(correlation) FROM launches WHERE run_id = @runId AND correlation IS NOT NULL),
                   (SELECT kernel_count FROM runs WHERE run_id = @runId)
            """, new { runId }, tx);
        if (first is not long lo || last is not long hi) return None;
        var rows = connection.Query<(long, long)>(
            "SELECT correlation, MIN(ts_ns) FROM launches WHERE run_id = @runId AND correlation IS NOT NULL GROUP BY correlation",
            new { runId }, tx, buffered: false);
        var range = hi - lo + 1;
        if (range > 0 && range <= Math.Max(4096, 2 * (kernels ?? 0)))
        {
            var dense = new long[range];
            Array.Fill(dense, Missing);
            foreach (var (correlation, ts) in rows) dense[correlation - lo] = ts;
            return new LaunchTimes(lo, dense, null);
        }
        var sparse = new Dictionary<long, long>((int)Math.Min(kernels ?? 0, 1 << 24));
        foreach (var (correlation, ts) in rows) sparse[correlation] = ts;
        return new LaunchTimes(lo, null, sparse);
    }

    /// <summary>The first launch time of <paramref name="correlation"/>, ns; false when no launch has it.</summary>
    public bool TryGet(long correlation, out long ts)
    {
        if (_sparse is not null) return _sparse.TryGetValue(correlation, out ts);
        var i = correlation - _first;
        ts = i >= 0 && i < _dense!.Length ? _dense[i] : Missing;
        return ts != Missing;
    }
}
