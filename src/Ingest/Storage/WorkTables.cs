using LlmPipeline.Analysis.Efficiency;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// Fills <c>kernel_work</c> (FLOPs and bytes of each launch context × kernel name pair, <see cref="OpWork"/>) and
/// <c>gpu_peaks</c> (each run's GPU peaks, <see cref="GpuSpecs"/>), which the efficiency views join.
/// </summary>
public static class WorkTables
{
    /// <summary>
    /// Adds the missing <c>kernel_work</c> rows (pairs of the database's kernels not computed yet) and sets the GPU
    /// peaks of <paramref name="runId"/> (every run when null) from <paramref name="specs"/> (the shipped table when null).
    /// </summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The open transaction, or null.</param>
    /// <param name="runId">The run whose peaks to set; null: every run.</param>
    /// <param name="specs">The GPU table; null: the shipped one.</param>
    /// <param name="warn">Receives one line per run whose GPU is unknown (naming the device); null: none.</param>
    /// <exception cref="SqliteException">The database cannot be read or written.</exception>
    public static void Refresh(SqliteConnection connection, SqliteTransaction? tx, long? runId, GpuSpecs? specs, Action<string>? warn)
    {
        RefreshWork(connection, tx);
        SetPeaks(connection, tx, runId, specs ?? GpuSpecs.Load(), warn);
        SetConfigWork(connection, tx, runId);
    }

    /// <summary>Replaces the <c>config_work</c> rows of <paramref name="runId"/> (every run when null) from its stored
    /// config (<see cref="ConfigWork"/>); a run without a config, or whose config lacks a size, gets none. The work is
    /// that of one tensor-parallel rank: divided by <c>runs.world_size</c> when the run is one rank of a TP group,
    /// i.e. world_size &gt; 1 and all-reduce kernels (names with allreduce, all_reduce or cross_device_reduce) run
    /// inside its transformer layers; otherwise (data or pipeline parallel, expert-parallel all-to-all only, unknown
    /// world size) the whole model's work.</summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The open transaction, or null.</param>
    /// <param name="runId">The run; null: every run.</param>
    public static void SetConfigWork(SqliteConnection connection, SqliteTransaction? tx, long? runId)
    {
        var runs = new List<(long Run, string? Config, int Tp)>();
        using (var cmd = Command(connection, tx, """
                SELECT r.run_id, r.config_json,
                       CASE WHEN r.world_size > 1 AND EXISTS (
                           SELECT 1 FROM kernel_rows AS k JOIN kernel_names AS n ON n.name_id = k.name_id
                           WHERE k.run_id = r.run_id AND k.layer_idx IS NOT NULL
                             AND (lower(n.name) LIKE '%allreduce%' OR lower(n.name) LIKE '%all_reduce%'
                                  OR lower(n.name) LIKE '%cross_device_reduce%'))
                            THEN r.world_size ELSE 1 END
                FROM runs AS r WHERE $run IS NULL OR r.run_id = $run
                """, "$run"))
        {
            cmd.Parameters["$run"].Value = (object?)runId ?? DBNull.Value;
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) runs.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), (int)reader.GetInt64(2)));
        }
        using var delete = Command(connection, tx, "DELETE FROM config_work WHERE run_id = $run", "$run");
        using var insert = Command(connection, tx, """
            INSERT INTO config_work (run_id, layer_idx, flops_per_token, weight_bytes, expert_bytes, routed_experts, top_k, weight_dtype, formula)
            VALUES ($run, $layer, $flops, $wb, $eb, $e, $k, $dtype, $formula)
            """, "$run", "$layer", "$flops", "$wb", "$eb", "$e", "$k", "$dtype", "$formula");
        foreach (var (run, config, tp) in runs)
        {
            delete.Parameters["$run"].Value = run;
            delete.ExecuteNonQuery();
            foreach (var w in ConfigWork.Of(config, tp))
            {
                insert.Parameters["$run"].Value = run;
                insert.Parameters["$layer"].Value = w.LayerIdx;
                insert.Parameters["$flops"].Value = w.FlopsPerToken;
                insert.Parameters["$wb"].Value = w.WeightBytes;
                insert.Parameters["$eb"].Value = w.ExpertBytes;
                insert.Parameters["$e"].Value = w.RoutedExperts;
                insert.Parameters["$k"].Value = w.TopK;
                insert.Parameters["$dtype"].Value = w.WeightDtype;
                insert.Parameters["$formula"].Value = w.Formula;
                insert.ExecuteNonQuery();
            }
        }
    }

    /// <summary>Computes <c>kernel_work</c> for the (context, kernel name) pairs of stored kernels that lack a row.</summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The open transaction, or null.</param>
    public static void RefreshWork(SqliteConnection connection, SqliteTransaction? tx)
    {
        var pending = new List<(long Context, long Name, string? Op, string? Dims, string? Types, string Kernel)>();
        using (var cmd = Command(connection, tx, """
                SELECT p.context_id, p.name_id, c.op_name, c.input_dims, c.input_types, n.name
                FROM (SELECT DISTINCT context_id, name_id FROM kernel_rows WHERE context_id IS NOT NULL) AS p
                JOIN launch_contexts AS c ON c.context_id = p.context_id
                JOIN kernel_names AS n ON n.name_id = p.name_id
                WHERE c.input_dims IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM kernel_work AS w WHERE w.context_id = p.context_id AND w.name_id = p.name_id)
                """))
        {
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
                pending.Add((reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        }
        if (pending.Count == 0) return;
        using var insert = Command(connection, tx, """
            INSERT OR REPLACE INTO kernel_work (context_id, name_id, op_class, flops, bytes, compute_dtype, formula)
            VALUES ($c, $n, $class, $flops, $bytes, $dtype, $formula)
            """, "$c", "$n", "$class", "$flops", "$bytes", "$dtype", "$formula");
        foreach (var p in pending)
        {
            if (OpWork.Of(p.Op, p.Dims, p.Types, p.Kernel) is not { } work) continue;
            insert.Parameters["$c"].Value = p.Context;
            insert.Parameters["$n"].Value = p.Name;
            insert.Parameters["$class"].Value = work.OpClass;
            insert.Parameters["$flops"].Value = work.Flops;
            insert.Parameters["$bytes"].Value = (object?)work.Bytes ?? DBNull.Value;
            insert.Parameters["$dtype"].Value = (object?)work.ComputeDtype ?? DBNull.Value;
            insert.Parameters["$formula"].Value = work.Formula;
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Replaces the <c>gpu_peaks</c> rows of <paramref name="runId"/> (every run when null) from <paramref name="specs"/>.</summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The open transaction, or null.</param>
    /// <param name="runId">The run; null: every run.</param>
    /// <param name="specs">The GPU table.</param>
    /// <param name="warn">Receives one line per run whose GPU is unknown; null: none.</param>
    public static void SetPeaks(SqliteConnection connection, SqliteTransaction? tx, long? runId, GpuSpecs specs, Action<string>? warn)
    {
        var runs = new List<(long Run, string? Gpu)>();
        using (var cmd = Command(connection, tx, "SELECT run_id, gpu_name FROM runs WHERE $run IS NULL OR run_id = $run", "$run"))
        {
            cmd.Parameters["$run"].Value = (object?)runId ?? DBNull.Value;
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) runs.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }
        using var delete = Command(connection, tx, "DELETE FROM gpu_peaks WHERE run_id = $run", "$run");
        using var insert = Command(connection, tx, """
            INSERT INTO gpu_peaks (run_id, dtype, gpu_spec, peak_tflops, peak_gbps, datasheet)
            VALUES ($run, $dtype, $spec, $tflops, $gbps, $sheet)
            """, "$run", "$dtype", "$spec", "$tflops", "$gbps", "$sheet");
        foreach (var (run, gpu) in runs)
        {
            delete.Parameters["$run"].Value = run;
            delete.ExecuteNonQuery();
            if (specs.Match(gpu) is not { } spec)
            {
                warn?.Invoke($"run {run}: unknown GPU '{gpu ?? ""}' (deviceProperties name): efficiency columns are NULL; give its peaks with --gpu-specs FILE");
                continue;
            }
            foreach (var (dtype, tflops) in spec.Tflops)
            {
                insert.Parameters["$run"].Value = run;
                insert.Parameters["$dtype"].Value = dtype;
                insert.Parameters["$spec"].Value = spec.Name;
                insert.Parameters["$tflops"].Value = tflops;
                insert.Parameters["$gbps"].Value = spec.MemoryGbps;
                insert.Parameters["$sheet"].Value = spec.Datasheet;
                insert.ExecuteNonQuery();
            }
        }
    }

    /// <summary>A command of <paramref name="tx"/> running <paramref name="sql"/>, with each of <paramref name="parameters"/> added (no value until set).</summary>
    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter(name, null));
        return command;
    }
}
