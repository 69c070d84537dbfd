using System.Runtime.CompilerServices;
using Dapper;
using LlmPipeline.Ingest.Segmenting;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LlmPipeline.Ingest.Resegment;

/// <summary>
/// One stored run's kernels as <see cref="RunResegmenter"/> segments them again: per device, in <c>kernel_idx</c>
/// order, the columns segmentation and phase assignment read (the labels are not read: a resegment writes them anew,
/// as spans and per-name categories). Read through SQLite's own calls (<see cref="SqliteNative"/>) from <c>kernel_rows</c>
/// alone; each distinct kernel name and launch context is looked up once, not joined on every row (a 1 GB trace's run
/// has 700 k kernels and a few thousand names).
/// </summary>
/// <param name="Names">Kernel names by run-local name id (first seen first).</param>
/// <param name="NameIds">The database's <c>kernel_names.name_id</c> by run-local name id.</param>
/// <param name="Devices">The run's devices, in device order.</param>
internal sealed record StoredKernels(IReadOnlyList<string> Names, IReadOnlyList<long> NameIds, IReadOnlyList<StoredDevice> Devices)
{
    /// <summary>A device's kernels are read in two halves at once from this many kernels on (smaller runs: one read).</summary>
    internal const int ParallelFromKernels = 50_000;

    /// <summary>
    /// Reads run <paramref name="runId"/>'s kernels on <paramref name="c"/>, in its open transaction (the ingest's own
    /// re-segmentation, whose rows are not committed yet).
    /// </summary>
    /// <param name="c">The user's database, inside <paramref name="tx"/>.</param>
    /// <param name="tx">The open transaction.</param>
    /// <param name="runId">The run.</param>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public static StoredKernels Read(SqliteConnection c, SqliteTransaction tx, long runId)
    {
        _ = tx; // the statements run inside the connection's open transaction
        using var rows = Prepare(c.Handle!, $"SELECT {RawRows.Columns} FROM kernel_rows WHERE run_id = ?1 ORDER BY device, kernel_idx");
        raw.sqlite3_bind_int64(rows, 1, runId);
        return Localize(c.Handle!, RawRows.Read(c.Handle!, rows));
    }

    /// <summary>
    /// Reads committed run <paramref name="runId"/>'s kernels (<c>resegment</c>, <c>recategorize</c>) on read-only
    /// connections of their own, so the command can start it before anything else: from
    /// <see cref="ParallelFromKernels"/> kernels on, each device's kernel range (from its <c>kernel_spans</c>) is read
    /// in two halves at once, the second core's share of the command. Gives what <see cref="Read"/> gives.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="runId">The run (no kernels: an empty result).</param>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    /// <exception cref="DatabaseException">The file cannot be opened.</exception>
    public static StoredKernels ReadCommitted(string path, long runId)
    {
        using var c = LlmDatabase.OpenReadOnly(path);
        var ranges = c.Query<(long Device, long First, long Last)>(
            "SELECT device, MIN(first_kernel_idx), MAX(last_kernel_idx) FROM kernel_spans WHERE run_id = $runId GROUP BY device ORDER BY device",
            new { runId }).ToList();
        if (ranges.Sum(r => r.Last - r.First + 1) < ParallelFromKernels)
        {
            using var tx = c.BeginTransaction();
            return Read(c, tx, runId);
        }
        // Each device's range split at its middle kernel_idx; the halves are open-ended, so every row of the device is read.
        var parts = ranges.SelectMany(r => (IEnumerable<(long Device, long? After, long? UpTo, int Expected)>)
            [(r.Device, null, (r.First + r.Last) / 2, (int)((r.First + r.Last) / 2 - r.First + 1)),
             (r.Device, (r.First + r.Last) / 2, null, (int)(r.Last - (r.First + r.Last) / 2))]).ToList();
        var read = new List<RawRows>[parts.Count];
        // Two readers take the parts in turn: this thread and a thread of its own (not the thread pool's: a command
        // starts this read on a thread of its own with pool work beside it, and a Parallel.For then found no second
        // pool thread free and read the halves one after the other: 150 + 170 ms instead of about 190 ms at once).
        var next = -1;
        void ReadParts()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < parts.Count;) read[i] = ReadPart(path, runId, parts[i]);
        }
        var second = Task.Factory.StartNew(ReadParts, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Exception? error = null;
        try
        {
            ReadParts();
        }
        catch (Exception ex)
        {
            error = ex;
        }
        try
        {
            second.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            error ??= ex;
        }
        // The error as it was thrown, not wrapped (callers translate SqliteException and DatabaseException).
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return Localize(c.Handle!, read.SelectMany(p => p).ToList());
    }

    /// <summary>One device's kernels with <paramref name="part"/>'s kernel_idx bounds, on a read-only connection of its own.</summary>
    /// <remarks>The part's columns are sized for its expected row count up front (growing them copied each column
    /// about twice over and set off full collections of the large object heap).</remarks>
    private static List<RawRows> ReadPart(string path, long runId, (long Device, long? After, long? UpTo, int Expected) part)
    {
        using var db = LlmDatabase.OpenOneThreadReader(path);
        using var rows = Prepare(db, $"""
            SELECT {RawRows.Columns} FROM kernel_rows
            WHERE run_id = ?1 AND device = ?2 AND kernel_idx > ?3 AND kernel_idx <= ?4 ORDER BY kernel_idx
            """);
        raw.sqlite3_bind_int64(rows, 1, runId);
        raw.sqlite3_bind_int64(rows, 2, part.Device);
        raw.sqlite3_bind_int64(rows, 3, part.After ?? long.MinValue);
        raw.sqlite3_bind_int64(rows, 4, part.UpTo ?? long.MaxValue);
        return RawRows.Read(db, rows, part.Expected);
    }

    /// <summary>
    /// Gives the raw rows (in device, kernel_idx order) run-local name ids (first seen first) and per-device layer-module
    /// ids, looking each name and launch context up once on <paramref name="db"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private static StoredKernels Localize(sqlite3 db, List<RawRows> chunks)
    {
        var names = new List<string>();
        var nameIds = new List<long>();
        var localOf = new Dictionary<long, int>();
        var contexts = new Dictionary<long, (string? LayerModule, bool Backward)>();
        var devices = new List<StoredDevice>();
        using var name = Prepare(db, "SELECT name FROM kernel_names WHERE name_id = ?1");
        using var context = Prepare(db, "SELECT layer_module, op_name FROM launch_contexts WHERE context_id = ?1");
        foreach (var group in chunks.GroupBy(ch => ch.Device))
        {
            var parts = group.ToList();
            var n = parts.Sum(p => p.KernelIdx.Count);
            var nameId = new int[n];
            var modules = new int[n];
            var backward = new bool[n];
            var moduleIds = new Dictionary<string, int>(StringComparer.Ordinal);
            var i = 0;
            foreach (var part in parts)
                for (var j = 0; j < part.KernelIdx.Count; j++, i++)
                {
                    var global = part.NameId[j];
                    if (!localOf.TryGetValue(global, out var local))
                    {
                        localOf[global] = local = names.Count;
                        names.Add(Text(db, name, global) ?? "");
                        nameIds.Add(global);
                    }
                    nameId[i] = local;
                    var (module, back) = part.ContextId[j] is var contextId and >= 0 ? Context(db, context, contexts, contextId) : (null, false);
                    if (module is null) modules[i] = -1;
                    else if (!moduleIds.TryGetValue(module, out modules[i])) moduleIds[module] = modules[i] = moduleIds.Count;
                    backward[i] = back;
                }
            devices.Add(new StoredDevice(group.Key, Concat(parts, p => p.KernelIdx), Concat(parts, p => p.TsNs), Concat(parts, p => p.DurNs),
                nameId, Concat(parts, p => p.Correlation), moduleIds.Count == 0 ? null : modules, backward.Contains(true) ? backward : null));
        }
        return new StoredKernels(names, nameIds, devices);
    }

    private static long[] Concat(List<RawRows> parts, Func<RawRows, List<long>> column)
    {
        var all = new long[parts.Sum(p => column(p).Count)];
        var at = 0;
        foreach (var p in parts)
        {
            column(p).CopyTo(all, at);
            at += column(p).Count;
        }
        return all;
    }

    private static (string? LayerModule, bool Backward) Context(sqlite3 db, sqlite3_stmt statement,
        Dictionary<long, (string?, bool)> contexts, long contextId)
    {
        if (contexts.TryGetValue(contextId, out var known)) return known;
        raw.sqlite3_reset(statement);
        raw.sqlite3_bind_int64(statement, 1, contextId);
        var rc = raw.sqlite3_step(statement);
        SqliteNative.Check(db, rc, "launch_contexts");
        (string?, bool) value = rc == raw.SQLITE_ROW
            ? (Column(statement, 0), DeviceSegmentation.IsBackwardOp(Column(statement, 1)))
            : (null, false);
        return contexts[contextId] = value;
    }

    private static string? Text(sqlite3 db, sqlite3_stmt statement, long id)
    {
        raw.sqlite3_reset(statement);
        raw.sqlite3_bind_int64(statement, 1, id);
        var rc = raw.sqlite3_step(statement);
        SqliteNative.Check(db, rc, "kernel_names");
        return rc == raw.SQLITE_ROW ? Column(statement, 0) : null;
    }

    private static string? Column(sqlite3_stmt statement, int column) =>
        raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(statement, column).utf8_to_string();

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        SqliteNative.Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement), sql);
        return statement;
    }

    /// <summary>Rows of one device as stored (database name and context ids), in kernel_idx order.</summary>
    private sealed class RawRows(int device, int capacity)
    {
        /// <summary>The columns <see cref="Read"/> expects, in its order.</summary>
        public const string Columns = "device, kernel_idx, ts_ns, dur_ns, name_id, context_id, correlation";

        public int Device { get; } = device;
        public readonly List<long> KernelIdx = new(capacity), TsNs = new(capacity), DurNs = new(capacity), NameId = new(capacity),
            ContextId = new(capacity), Correlation = new(capacity);

        /// <summary>Steps <paramref name="statement"/> (the <see cref="Columns"/>, in device order) to its end: one
        /// <see cref="RawRows"/> per device met, the first sized for <paramref name="expected"/> rows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
        public static List<RawRows> Read(sqlite3 db, sqlite3_stmt statement, int expected = 0)
        {
            var read = new List<RawRows>();
            var h = statement.DangerousGetHandle();
            RawRows? current = null;
            int rc;
            while ((rc = SqliteNative.Next(h)) == SqliteNative.Row)
            {
                // device, kernel_idx, ts_ns, dur_ns and name_id are NOT NULL columns.
                var device = (int)SqliteNative.NotNullInt64(h, 0);
                if (current?.Device != device) read.Add(current = new RawRows(device, read.Count == 0 ? expected : 0));
                current.KernelIdx.Add(SqliteNative.NotNullInt64(h, 1));
                current.TsNs.Add(SqliteNative.NotNullInt64(h, 2));
                current.DurNs.Add(SqliteNative.NotNullInt64(h, 3));
                current.NameId.Add(SqliteNative.NotNullInt64(h, 4));
                current.ContextId.Add(SqliteNative.Int64(h, 5) ?? -1);
                current.Correlation.Add(SqliteNative.Int64(h, 6) ?? long.MinValue);
            }
            if (rc != SqliteNative.Done) SqliteNative.Check(db, rc, "kernel_rows");
            return read;
        }
    }
}

/// <summary>One device's stored kernels, in <c>kernel_idx</c> order.</summary>
/// <param name="Device">GPU device.</param>
/// <param name="KernelIdx"><c>kernel_idx</c> of each kernel.</param>
/// <param name="TsNs">Start, ns.</param>
/// <param name="DurNs">Duration, ns.</param>
/// <param name="NameId">Run-local name id (<see cref="StoredKernels.Names"/>).</param>
/// <param name="Correlation">Launch correlation id, <see cref="long.MinValue"/> when NULL.</param>
/// <param name="LayerModule">Decoder-layer module id per kernel (-1: none), numbered per device; null when no kernel has one.</param>
/// <param name="LaunchedByBackward">Whether a backward op launched each kernel; null when none did.</param>
internal sealed record StoredDevice(int Device, long[] KernelIdx, long[] TsNs, long[] DurNs, int[] NameId, long[] Correlation,
    int[]? LayerModule, bool[]? LaunchedByBackward);
