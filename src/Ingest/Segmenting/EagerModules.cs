using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Launches;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Writing;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Segmenting;

/// <summary>
/// Gives eagerly launched kernels their module scopes where the trace was recorded <c>with_modules</c> (HF
/// transformers and other eager traces: python_function events <c>nn.Module: Qwen2DecoderLayer_5</c>): the kernel's
/// launch (the runtime call with its correlation id) runs at a time on a thread; the innermost module scope there is the
/// kernel's <c>module</c>, the scope of the decoder-layer class (<see cref="ModuleScopes.DecoderLayerClass"/>) its
/// <c>layer_module</c>. Graph replays are left to <see cref="GraphReplayAttribution"/> (their one launch is not inside the
/// modules that captured them).
/// </summary>
public static class EagerModules
{
    /// <summary>Sets module and layer_module of run <paramref name="runId"/>'s kernels from <paramref name="scopes"/>.</summary>
    /// <param name="connection">The database holding the run's kernels and launches.</param>
    /// <param name="tx">The open transaction.</param>
    /// <param name="runId">The run.</param>
    /// <param name="scopes">The trace's module scopes (keyed by tid as <see cref="EventNormalizer.ThreadKey"/> writes it).</param>
    /// <returns>Kernels given a module.</returns>
    /// <exception cref="SqliteException">The database cannot be read or written.</exception>
    public static long Apply(SqliteConnection connection, SqliteTransaction tx, long runId, ModuleScopes scopes)
    {
        if (scopes.Count == 0) return 0;
        var layerClass = scopes.DecoderLayerClass();
        var rows = new List<(long Device, long Idx, string? Op, string? Dims, string? Grid, string? Block, string? Types)>();
        var points = new List<(string Thread, long TsNs)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            // one launch per kernel launch correlation; graph launches excluded
            cmd.CommandText = """
                SELECT k.device, k.kernel_idx, k.op_name, k.input_dims, k.grid, k.block, k.input_types, CAST(l.tid AS TEXT), l.ts_ns
                FROM kernels k
                JOIN (SELECT correlation, min(tid) AS tid, min(ts_ns) AS ts_ns FROM launches
                      WHERE run_id = $run AND correlation IS NOT NULL AND name NOT LIKE '%GraphLaunch%' GROUP BY correlation) AS l
                  ON l.correlation = k.correlation
                WHERE k.run_id = $run AND k.module IS NULL AND l.tid IS NOT NULL
                ORDER BY k.device, k.kernel_idx
                """;
            cmd.Parameters.AddWithValue("$run", runId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), r.GetInt64(1), Str(r, 2), Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6)));
                points.Add((r.GetString(7), r.GetInt64(8)));
            }
        }
        var found = scopes.Find(points, layerClass);
        using var contexts = new LaunchContexts(connection, tx);
        using var update = new KernelContextUpdate(connection, tx, runId);
        long given = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var (module, layer) = found[i];
            if (module is null && layer is null) continue;
            var k = rows[i];
            update.Run(k.Device, k.Idx, contexts.IdOf(k.Op, k.Dims, k.Grid, k.Block, k.Types, module, layer));
            given++;
        }
        return given;
    }

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
