using System.Runtime.CompilerServices;
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
    /// <summary>Reads run <paramref name="runId"/>'s kernels.</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static StoredKernels Read(SqliteConnection c, SqliteTransaction tx, long runId)
    {
        _ = tx; // the connection's open transaction: raw statements run inside it
        var db = c.Handle!;
        var names = new List<string>();
        var nameIds = new List<long>();
        var localOf = new Dictionary<long, int>();
        var contexts = new Dictionary<long, (string? LayerModule, bool Backward)>();
        var devices = new List<StoredDevice>();
        using var name = Prepare(db, "SELECT name FROM kernel_names WHERE name_id = ?1");
        using var context = Prepare(db, "SELECT layer_module, op_name FROM launch_contexts WHERE context_id = ?1");
        using var rows = Prepare(db, """
            SELECT device, kernel_idx, ts_ns, dur_ns, name_id, context_id, correlation
            FROM kernel_rows WHERE run_id = ?1 ORDER BY device, kernel_idx
            """);
        raw.sqlite3_bind_int64(rows, 1, runId);
        var h = rows.DangerousGetHandle();
        var device = new DeviceColumns();
        int rc;
        while ((rc = SqliteNative.Next(h)) == SqliteNative.Row)
        {
            var d = (int)SqliteNative.Int64(h, 0)!.Value;
            if (device.Device != d)
            {
                device.Flush(devices);
                device.Device = d;
            }
            device.KernelIdx.Add(SqliteNative.Int64(h, 1)!.Value);
            device.TsNs.Add(SqliteNative.Int64(h, 2)!.Value);
            device.DurNs.Add(SqliteNative.Int64(h, 3)!.Value);
            var global = SqliteNative.Int64(h, 4)!.Value;
            if (!localOf.TryGetValue(global, out var local))
            {
                localOf[global] = local = names.Count;
                names.Add(Text(db, name, global) ?? "");
                nameIds.Add(global);
            }
            device.NameId.Add(local);
            var (module, backward) = SqliteNative.Int64(h, 5) is long contextId ? Context(db, context, contexts, contextId) : (null, false);
            device.AddModule(module);
            device.Backward.Add(backward);
            device.Correlation.Add(SqliteNative.Int64(h, 6) ?? long.MinValue);
        }
        if (rc != SqliteNative.Done) SqliteNative.Check(db, rc, "kernel_rows");
        device.Flush(devices);
        return new StoredKernels(names, nameIds, devices);
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

    /// <summary>One device's columns while its rows are read.</summary>
    private sealed class DeviceColumns
    {
        public int? Device;
        public readonly List<long> KernelIdx = [], TsNs = [], DurNs = [], Correlation = [];
        public readonly List<int> NameId = [], Modules = [];
        public readonly List<bool> Backward = [];
        private readonly Dictionary<string, int> _moduleIds = new(StringComparer.Ordinal);

        /// <summary>Adds a kernel's decoder-layer module: ids numbered per device, first seen first (-1: none).</summary>
        public void AddModule(string? module)
        {
            if (module is null)
            {
                Modules.Add(-1);
                return;
            }
            if (!_moduleIds.TryGetValue(module, out var id)) _moduleIds[module] = id = _moduleIds.Count;
            Modules.Add(id);
        }

        /// <summary>Adds the device read so far to <paramref name="devices"/> and starts the next one empty.</summary>
        public void Flush(List<StoredDevice> devices)
        {
            if (Device is int d)
                devices.Add(new StoredDevice(d, [.. KernelIdx], [.. TsNs], [.. DurNs], [.. NameId], [.. Correlation],
                    _moduleIds.Count == 0 ? null : [.. Modules], Backward.Contains(true) ? [.. Backward] : null));
            KernelIdx.Clear(); TsNs.Clear(); DurNs.Clear(); NameId.Clear(); Correlation.Clear(); Modules.Clear(); _moduleIds.Clear(); Backward.Clear();
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
