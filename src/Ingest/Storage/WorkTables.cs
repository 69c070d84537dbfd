using LlmPipeline.Analysis.Efficiency;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// Fills <c>kernel_work</c> (FLOPs and bytes of each launch context × kernel name pair, <see cref="OpWork"/>; for serving
/// attention the work per query-key pair and per token, <see cref="StepAttentionWork"/>), <c>gpu_peaks</c> (each run's
/// GPU peaks, <see cref="GpuSpecs"/>) and <c>config_work</c> (<see cref="ConfigWork"/>), which the efficiency views join
/// with each pass's attention lengths; <see cref="Recompute"/> computes them again at a schema upgrade.
/// </summary>
public static class WorkTables
{
    /// <summary>
    /// Adds the missing <c>kernel_work</c> rows (pairs of <paramref name="runId"/>'s kernels, or of every run's when null,
    /// not computed yet) and sets the GPU peaks of <paramref name="runId"/> (every run when null) from
    /// <paramref name="specs"/> (the shipped table when null).
    /// </summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The open transaction, or null.</param>
    /// <param name="runId">The run whose work pairs and peaks to set; null: every run.</param>
    /// <param name="specs">The GPU table; null: the shipped one.</param>
    /// <param name="warn">Receives one line per run whose GPU is unknown (naming the device); null: none.</param>
    /// <param name="pairs">The run's (launch context id, kernel name id) pairs, known from writing its kernels; null:
    /// found in its stored kernel rows (a scan of the run's kernels).</param>
    /// <exception cref="SqliteException">The database cannot be read or written.</exception>
    public static void Refresh(SqliteConnection connection, SqliteTransaction? tx, long? runId, GpuSpecs? specs, Action<string>? warn,
        IReadOnlyCollection<(long Context, long Name)>? pairs = null)
    {
        if (pairs is null) RefreshWork(connection, tx, runId);
        else RefreshPairs(connection, tx, pairs);
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
                           SELECT 1 FROM _kernel_labels AS k JOIN kernel_names AS n ON n.name_id = k.name_id
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
            INSERT INTO config_work (run_id, layer_idx, flops_per_token, weight_bytes, expert_bytes, routed_experts, top_k, weight_dtype, formula,
                                     attn_flops_per_sq_sk, kv_bytes_per_sk, sliding_window)
            VALUES ($run, $layer, $flops, $wb, $eb, $e, $k, $dtype, $formula, $pair, $key, $window)
            """, "$run", "$layer", "$flops", "$wb", "$eb", "$e", "$k", "$dtype", "$formula", "$pair", "$key", "$window");
        foreach (var (run, config, tp) in runs)
        {
            delete.Parameters["$run"].Value = run;
            delete.ExecuteNonQuery();
            foreach (var w in ConfigWork.Of(config, tp))
            {
                Execute(insert, run, w.LayerIdx, w.FlopsPerToken, w.WeightBytes, w.ExpertBytes, w.RoutedExperts, w.TopK, w.WeightDtype,
                    w.Formula, w.AttentionFlopsPerPair, w.KvBytesPerKey, w.SlidingWindow);
            }
        }
    }

    /// <summary>Computes <c>kernel_work</c> for the (context, kernel name) pairs of stored kernels that lack a row.</summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The open transaction, or null.</param>
    /// <param name="runId">Only the pairs of this run's kernels (an ingest: the earlier runs' pairs were computed by
    /// theirs, and scanning every run's kernels made each ingest slower as the database grew); null: every run's.</param>
    public static void RefreshWork(SqliteConnection connection, SqliteTransaction? tx, long? runId = null)
    {
        var pending = new List<(long Context, long Name, string? Op, string? Dims, string? Types, string Kernel)>();
        // One run's kernels are a primary-key range; an OR with "every run" would make SQLite scan the table.
        var ofRun = runId is null ? "" : "run_id = $run AND ";
        using (var cmd = Command(connection, tx, $"""
                SELECT p.context_id, p.name_id, c.op_name, c.input_dims, c.input_types, n.name
                FROM (SELECT DISTINCT context_id, name_id FROM kernel_rows WHERE {ofRun}context_id IS NOT NULL) AS p
                JOIN launch_contexts AS c ON c.context_id = p.context_id
                JOIN kernel_names AS n ON n.name_id = p.name_id
                WHERE c.input_dims IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM kernel_work AS w WHERE w.context_id = p.context_id AND w.name_id = p.name_id)
                """, runId is null ? [] : ["$run"]))
        {
            if (runId is long run) cmd.Parameters["$run"].Value = run;
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
                pending.Add((reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        }
        Insert(connection, tx, pending);
    }

    /// <summary>Inserts the <c>kernel_work</c> row of each pending pair whose op has a formula.</summary>
    private static void Insert(SqliteConnection connection, SqliteTransaction? tx,
        List<(long Context, long Name, string? Op, string? Dims, string? Types, string Kernel)> pending)
    {
        if (pending.Count == 0) return;
        using var insert = Command(connection, tx, """
            INSERT OR REPLACE INTO kernel_work (context_id, name_id, op_class, flops, bytes, compute_dtype, formula,
                                                query_tokens, flops_per_sq_sk, bytes_per_sq, bytes_per_sk, attention_parts)
            VALUES ($c, $n, $class, $flops, $bytes, $dtype, $formula, $tokens, $pair, $query, $key, $parts)
            """, "$c", "$n", "$class", "$flops", "$bytes", "$dtype", "$formula", "$tokens", "$pair", "$query", "$key", "$parts");
        foreach (var p in pending)
        {
            // A serving attention op's work depends on each pass's lengths: its row holds the work per pair and per
            // token (flops 0, bytes NULL), which the efficiency views complete with pass_attention_lengths.
            var step = OpWork.StepAttention(p.Op, p.Dims, p.Types, p.Kernel);
            var work = step is null ? OpWork.Of(p.Op, p.Dims, p.Types, p.Kernel) : new KernelWork("attention", 0, null, step.ComputeDtype, step.Formula);
            if (work is null) continue;
            Execute(insert, p.Context, p.Name, work.OpClass, work.Flops, work.Bytes, work.ComputeDtype, work.Formula,
                step?.QueryTokens, step?.FlopsPerPair, step?.BytesPerQuery, step?.BytesPerKey, step?.Parts);
        }
    }

    /// <summary>Computes <c>kernel_work</c> for the given (context, kernel name) pairs that lack a row.</summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The open transaction, or null.</param>
    /// <param name="pairs">(launch_contexts.context_id, kernel_names.name_id) pairs of stored kernels.</param>
    public static void RefreshPairs(SqliteConnection connection, SqliteTransaction? tx, IReadOnlyCollection<(long Context, long Name)> pairs)
    {
        var pending = new List<(long Context, long Name, string? Op, string? Dims, string? Types, string Kernel)>();
        using (var cmd = Command(connection, tx, """
                SELECT c.op_name, c.input_dims, c.input_types, n.name
                FROM launch_contexts AS c JOIN kernel_names AS n ON n.name_id = $n
                WHERE c.context_id = $c AND c.input_dims IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM kernel_work AS w WHERE w.context_id = $c AND w.name_id = $n)
                """, "$c", "$n"))
        {
            foreach (var (context, name) in pairs.Order())
            {
                cmd.Parameters["$c"].Value = context;
                cmd.Parameters["$n"].Value = name;
                using var reader = cmd.ExecuteReader();
                if (reader.Read())
                    pending.Add((context, name, reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
            }
        }
        Insert(connection, tx, pending);
    }

    /// <summary>
    /// Computes the work tables of every stored run again with this build's formulas, inside a schema upgrade's
    /// transaction: every <c>kernel_work</c> row from its stored launch context (<see cref="RefreshWork"/>), every
    /// run's <c>config_work</c> from its stored config (<see cref="SetConfigWork"/>) and every pass's attention lengths
    /// from its step annotation (<see cref="Phases.PassAttentionLengths.Write"/>). A change of a formula ships with a
    /// schema version bump, so a database ingested by an older build gets the new values when it is next opened. The
    /// GPU peaks are set only where <paramref name="setPeaks"/> says (a database older than schema 6 has none): stored
    /// peaks may come from the user's <c>--gpu-specs</c>.
    /// </summary>
    /// <param name="connection">The database being upgraded.</param>
    /// <param name="tx">The upgrade's transaction.</param>
    /// <param name="setPeaks">Whether to set every run's peaks from the shipped GPU table.</param>
    /// <exception cref="SqliteException">The database cannot be read or written.</exception>
    public static void Recompute(SqliteConnection connection, SqliteTransaction? tx, bool setPeaks)
    {
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = tx;
            delete.CommandText = "DELETE FROM kernel_work";
            delete.ExecuteNonQuery();
        }
        RefreshWork(connection, tx);
        if (setPeaks) SetPeaks(connection, tx, runId: null, GpuSpecs.Load(), warn: null);
        SetConfigWork(connection, tx, runId: null);
        Phases.PassAttentionLengths.Write(connection, tx, runId: null);
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

    /// <summary>
    /// Runs a command made by <see cref="Command"/> with <paramref name="values"/> bound to its parameters in the order
    /// they were declared (null binds SQL NULL).
    /// </summary>
    private static void Execute(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }
}
