using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// Copies a completed <see cref="StagingDatabase"/> into the user's database as one new run, in one short
/// <c>BEGIN IMMEDIATE</c> transaction: the <c>runs</c> row gets the next <c>run_id</c>, kernel names are mapped onto
/// the shared <c>kernel_names</c> dictionary, and kernels are joined with their launching CPU operator (External id)
/// on the way in. Either everything of the run lands or nothing does.
/// </summary>
public static class RunMerger
{
    /// <summary>Tables copied row for row (every column, <c>run_id</c> replaced).</summary>
    private static readonly string[] PlainTables =
        ["memory_ops", "passes", "layers", "annotations", "launches", "category_rules", "trace_metadata", "ingest_warnings", "anchor_candidates"];

    /// <summary>Merges the staged run.</summary>
    /// <param name="main">Open connection to the user's database (from <see cref="LlmDatabase.OpenForWrite"/>).</param>
    /// <param name="staging">The committed staging database.</param>
    /// <param name="run">The <c>runs</c> row.</param>
    /// <param name="force">When false and a run with the same SHA-256 and options key exists, nothing is written.</param>
    /// <returns>The new run id, or the existing run's id with <c>AlreadyPresent</c> true.</returns>
    public static (long RunId, bool AlreadyPresent) Merge(SqliteConnection main, StagingDatabase staging, RunRecord run, bool force)
    {
        staging.Commit();
        staging.Connection.Close();
        main.Execute("ATTACH DATABASE $path AS s", new { path = staging.Path });
        try
        {
            using var tx = main.BeginTransaction(deferred: false);
            if (!force)
            {
                var existing = FindExisting(main, run.SourceSha256, run.OptionsKey, tx);
                if (existing is long id) return (id, true);
            }
            var runId = InsertRun(main, tx, run);
            MapNames(main, tx);
            CopyKernels(main, tx, runId);
            foreach (var table in PlainTables) CopyTable(main, tx, table, runId);
            tx.Commit();
            return (runId, false);
        }
        finally
        {
            main.Execute("DETACH DATABASE s");
        }
    }

    /// <summary>The run with this file hash and segmentation options, if one exists.</summary>
    public static long? FindExisting(SqliteConnection main, string sha256, string optionsKey, SqliteTransaction? tx = null) =>
        main.QueryFirstOrDefault<long?>(
            "SELECT run_id FROM runs WHERE source_sha256 = $sha AND options_key = $key ORDER BY run_id LIMIT 1",
            new { sha = sha256, key = optionsKey }, tx);

    private static long InsertRun(SqliteConnection main, SqliteTransaction tx, RunRecord r)
    {
        const string sql = """
            INSERT INTO runs (label, source_path, source_bytes, source_sha256, json_bytes, ingested_at, framework,
                framework_source, git_commit, model, model_source, gpu_name, rank, world_size, profile, profile_reason,
                anchor_kernel, anchor_role, anchor_reason, num_layers, num_layers_source, blocks_per_layer,
                trace_start_ns, trace_end_ns, base_time_ns, config_json, tags, options_key, kernel_count, event_count)
            VALUES ($Label, $SourcePath, $SourceBytes, $SourceSha256, $JsonBytes, $IngestedAt, $Framework,
                $FrameworkSource, $GitCommit, $Model, $ModelSource, $GpuName, $Rank, $WorldSize, $Profile, $ProfileReason,
                $AnchorKernel, $AnchorRole, $AnchorReason, $NumLayers, $NumLayersSource, $BlocksPerLayer,
                $TraceStartNs, $TraceEndNs, $BaseTimeNs, $ConfigJson, $Tags, $OptionsKey, $KernelCount, $EventCount);
            SELECT last_insert_rowid();
            """;
        return main.ExecuteScalar<long>(sql, r, tx);
    }

    private static void MapNames(SqliteConnection main, SqliteTransaction tx)
    {
        main.Execute("INSERT OR IGNORE INTO main.kernel_names (name, simplified_name) SELECT name, simplified_name FROM s.kernel_names", transaction: tx);
        main.Execute("""
            INSERT INTO s.name_map (local_id, global_id)
            SELECT l.name_id, g.name_id FROM s.kernel_names l JOIN main.kernel_names g ON g.name = l.name
            """, transaction: tx);
    }

    private static void CopyKernels(SqliteConnection main, SqliteTransaction tx, long runId)
    {
        main.Execute("""
            INSERT INTO main.kernels (run_id, device, kernel_idx, stream, ts_ns, dur_ns, name_id, category, pass_idx,
                layer_idx, block_idx, half, role, correlation, external_id, grid, block, op_name, input_dims)
            SELECT $run, k.device, k.kernel_idx, k.stream, k.ts_ns, k.dur_ns, m.global_id, k.category, k.pass_idx,
                k.layer_idx, k.block_idx, k.half, k.role, k.correlation, k.external_id, k.grid, k.block, c.name, c.input_dims
            FROM s.kernels k
            JOIN s.name_map m ON m.local_id = k.name_id
            LEFT JOIN s.cpu_ops c ON c.external_id = k.external_id
            ORDER BY k.device, k.kernel_idx
            """, new { run = runId }, tx);
    }

    private static void CopyTable(SqliteConnection main, SqliteTransaction tx, string table, long runId)
    {
        var columns = main.Query<string>($"SELECT name FROM pragma_table_info('{table}')", transaction: tx).ToList();
        var select = string.Join(", ", columns.Select(c => c == "run_id" ? "$run" : c));
        main.Execute($"INSERT INTO main.{table} ({string.Join(", ", columns)}) SELECT {select} FROM s.{table}", new { run = runId }, tx);
    }
}
