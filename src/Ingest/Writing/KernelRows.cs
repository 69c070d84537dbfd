using System.Runtime.CompilerServices;
using Dapper;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Launches;
using LlmPipeline.Ingest.Segmenting;
using LlmPipeline.Ingest.Storage;

namespace LlmPipeline.Ingest.Writing;

/// <summary>
/// Writes one device's kernels into <c>kernel_rows</c>, in start order, with their launch context. Their labels are
/// written apart: segmentation as spans (<see cref="KernelSpans"/>), categories per kernel name (<see cref="NameCategories"/>).
/// </summary>
public static class KernelRows
{
    /// <summary>The table <see cref="Write"/> fills.</summary>
    public const string Table = "kernel_rows";

    /// <summary>The <see cref="Table"/> columns written at ingest (all of them), in the order <see cref="Write"/> binds them.</summary>
    public static readonly string[] Columns =
        ["run_id", "device", "kernel_idx", "stream", "ts_ns", "dur_ns", "name_id", "correlation", "external_id", "context_id"];

    /// <summary>What the per-kernel ids of a run stand for.</summary>
    /// <param name="NameIds"><c>kernel_names.name_id</c> of the database, by run-local name id (the run-local id itself for parked rows).</param>
    /// <param name="Contexts"><c>launch_contexts.context_id</c> by the run-local op, dims, grid and block ids (a run-local number for parked rows).</param>
    /// <param name="WorkPairs">Receives each distinct (context id, name id) pair written (the kernel work a run needs,
    /// <see cref="WorkTables.RefreshPairs"/>); null: not collected.</param>
    public sealed record Dictionaries(long[] NameIds, ILaunchContextIds Contexts, HashSet<(long Context, long Name)>? WorkPairs = null);

    /// <summary>Inserts every kernel of <paramref name="segmentation"/> (its segmentation result is not read).</summary>
    /// <param name="insert">A prepared insert over <see cref="Columns"/> (every column is set for every row).</param>
    /// <param name="runId">Run id to write.</param>
    /// <param name="segmentation">The device's kernels (launching ops resolved) and segmentation.</param>
    /// <param name="dictionaries">What the ids of the kernel columns stand for.</param>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">A row is refused (disk full, duplicate key).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static void Write(MultiRowInsert insert, long runId, DeviceSegmentation segmentation, Dictionaries dictionaries)
    {
        var k = segmentation.Kernels;
        var seq = segmentation.Sequence; // ts, dur and name id in start order (DeviceSegmentation freed those columns of k)
        var (nameIds, contexts, pairs) = (dictionaries.NameIds, dictionaries.Contexts, dictionaries.WorkPairs);
        var opName = k.OpNameId;
        var opDim = k.OpDimsId;
        for (var i = 0; i < segmentation.Order.Length; i++)
        {
            insert.Set(0, runId);
            insert.Set(1, k.Device);
            var src = segmentation.Order[i];
            var stream = k.Stream[src];
            var corr = k.Correlation[src];
            var ext = k.ExternalId[src];
            var grid = k.GridId[src];
            var block = k.BlockId[src];
            var nameId = seq.NameId[i];
            insert.Set(2, (long)i);
            insert.Set(3, stream < 0 ? null : stream);
            insert.Set(4, seq.StartNs[i]);
            insert.Set(5, seq.DurNs[i]);
            insert.Set(6, nameIds[nameId]);
            insert.Set(7, corr == long.MinValue ? null : corr);
            insert.Set(8, ext == long.MinValue ? null : ext);
            var op = opName is null ? -1 : opName[src];
            var dims = opDim is null ? -1 : opDim[src];
            var context = contexts.IdOf(op, dims, grid, block);
            insert.Set(9, context);
            if (pairs is not null && context is long id) pairs.Add((id, nameIds[nameId]));
            insert.Run();
        }
    }

    /// <summary>
    /// Copies the kernel rows of a run parked in the group staging file attached to <paramref name="merger"/> as staging
    /// <paramref name="staging"/> (written by <see cref="Write"/> with run-local name ids and <see cref="RunLocalLaunchContexts"/>
    /// numbers) into the user's database as run <paramref name="runId"/>, each id mapped to the database's, in
    /// (device, kernel_idx) order: the rows <see cref="Write"/> writes for the run from memory.
    /// </summary>
    /// <param name="merger">The merge transaction.</param>
    /// <param name="staging">The group staging file's index in the merge.</param>
    /// <param name="parkedRunId">The run's id in that file.</param>
    /// <param name="runId">The run's id in the user's database.</param>
    /// <param name="nameIds"><c>kernel_names.name_id</c> of the database by run-local name id.</param>
    /// <param name="contextIds"><c>launch_contexts.context_id</c> of the database by run-local context number.</param>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The database cannot be written.</exception>
    public static void CopyParked(RunMerger merger, int staging, long parkedRunId, long runId, IReadOnlyList<long> nameIds, IReadOnlyList<long?> contextIds)
    {
        var (main, tx) = (merger.Connection, merger.Transaction);
        // Small maps (names: thousands; contexts: hundreds) the copy joins, as temporary tables of the connection; created
        // inside the transaction, so a rollback removes them too.
        main.Execute("""
            CREATE TEMP TABLE parked_name_ids (local INTEGER PRIMARY KEY, global INTEGER NOT NULL);
            CREATE TEMP TABLE parked_context_ids (local INTEGER PRIMARY KEY, global INTEGER);
            """, transaction: tx);
        main.Execute("INSERT INTO temp.parked_name_ids (local, global) VALUES ($Local, $Global)",
            nameIds.Select((id, i) => new { Local = i, Global = id }), tx);
        main.Execute("INSERT INTO temp.parked_context_ids (local, global) VALUES ($Local, $Global)",
            contextIds.Select((id, i) => new { Local = i, Global = id }), tx);
        main.Execute($"""
            INSERT OR FAIL INTO main.{Table} ({string.Join(", ", Columns)})
            SELECT $runId, k.device, k.kernel_idx, k.stream, k.ts_ns, k.dur_ns, n.global, k.correlation, k.external_id, c.global
            FROM {RunMerger.StagingSchema(staging)}.{Table} AS k
            JOIN temp.parked_name_ids AS n ON n.local = k.name_id
            LEFT JOIN temp.parked_context_ids AS c ON c.local = k.context_id
            WHERE k.run_id = $parkedRunId
            ORDER BY k.device, k.kernel_idx
            """, new { runId, parkedRunId }, tx);
        main.Execute("DROP TABLE temp.parked_name_ids; DROP TABLE temp.parked_context_ids;", transaction: tx);
    }
}
