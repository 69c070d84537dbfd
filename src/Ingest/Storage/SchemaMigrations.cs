using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// In-place upgrades of databases written by older LlmPipeline versions, one step per schema version.
/// <see cref="Upgrade"/> runs first, <c>schema.sql</c> then (re)creates whatever is missing (it uses <c>IF NOT EXISTS</c>
/// throughout), and <see cref="Finish"/> moves rows into tables that schema.sql has just created.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>Applies every step from <paramref name="fromVersion"/> to <see cref="LlmDatabase.SchemaVersion"/>.</summary>
    public static void Upgrade(SqliteConnection connection, int fromVersion)
    {
        // Version 0 is a new, empty file: schema.sql creates everything.
        if (fromVersion == 0) return;
        if (fromVersion < 2)
        {
            // 2: multi-rank captures, serving phase from file names, rank time alignment, outlier reasons, Perfetto ns ranges.
            LlmDatabase.Execute(connection, """
                ALTER TABLE runs ADD COLUMN capture_id INTEGER;
                ALTER TABLE runs ADD COLUMN phase TEXT;
                ALTER TABLE runs ADD COLUMN time_offset_ns INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN time_alignment TEXT;
                ALTER TABLE passes ADD COLUMN outlier_reason TEXT;
                ALTER TABLE passes ADD COLUMN perfetto_start_ns INTEGER;
                ALTER TABLE passes ADD COLUMN perfetto_end_ns INTEGER;
                ALTER TABLE layers ADD COLUMN perfetto_start_ns INTEGER;
                ALTER TABLE layers ADD COLUMN perfetto_end_ns INTEGER;
                """);
        }
        if (fromVersion < 3)
        {
            // 3: no kernels_by_category (its random-order inserts slowed every ingest; a run's primary-key range serves category filters).
            LlmDatabase.Execute(connection, "DROP INDEX IF EXISTS kernels_by_category;");
        }
        if (fromVersion < 4)
        {
            // 4: the kernels table (four texts per row: op_name, input_dims, grid, block) became kernel_rows, whose
            // context_id points into launch_contexts, and a kernels view over both. Views go first (views of older
            // versions may name tables that no longer exist; the caller installs the current ones), then the old
            // table steps aside for Finish to copy.
            DropViews(connection);
            LlmDatabase.Execute(connection, "ALTER TABLE kernels RENAME TO kernels_v3;");
        }
        if (fromVersion < 5)
        {
            // 5: graph replays attributed from capture traces: each launch context also says the cpu_op's input types
            // and the module scopes of the launch, and each run how its replays were attributed. A database older than
            // 4 has no launch_contexts yet (schema.sql creates it with these columns).
            if (fromVersion == 4)
                foreach (var column in (string[])["input_types", "module", "layer_module"])
                    AddColumn(connection, "launch_contexts", column, "TEXT");
            foreach (var (column, type) in (ReadOnlySpan<(string, string)>)[("graph_launch_api", "TEXT"), ("replay_kernels", "INTEGER"),
                         ("replay_attributed", "INTEGER"), ("replay_match", "TEXT"), ("replay_captures", "TEXT")])
                AddColumn(connection, "runs", column, type);
            // 5 also: layers start at their input norm; runs say what evidence set the boundaries (layer_evidence NULL
            // marks a run segmented by an older build); pass_part_rows, created by schema.sql, holds prologue, layers,
            // gaps and epilogue.
            AddColumn(connection, "runs", "layer_evidence", "TEXT");
            AddColumn(connection, "runs", "layer_evidence_detail", "TEXT");
            // 5 also: graph launches per run, so that a low kernel coverage is blamed on untraced graph work or on an
            // eager, CPU-bound run, as the trace supports (NULL for older runs: unknown).
            AddColumn(connection, "runs", "graph_launch_count", "INTEGER");
        }
        // 6: kernel_work and gpu_peaks (FLOPs, bytes and GPU peaks for the efficiency views) are new tables that
        // schema.sql creates; LlmDatabase fills them for the stored runs.
        // 7: config_work (config-derived GEMM work per layer and lm_head) is a new table that schema.sql creates;
        // LlmDatabase fills it for the stored runs from runs.config_json.
        if (fromVersion < 8)
        {
            // 8: serving attention's work per query-key pair and per token (kernel_work), the config's attention
            // (config_work), both completed by each pass's attention lengths (pass_attention_lengths, a new table that
            // schema.sql creates). LlmDatabase computes every work row again (WorkTables.Recompute).
            if (fromVersion >= 6)
                foreach (var (column, type) in (ReadOnlySpan<(string, string)>)[("query_tokens", "INTEGER"), ("flops_per_sq_sk", "INTEGER"),
                             ("bytes_per_sq", "INTEGER"), ("bytes_per_sk", "INTEGER"), ("attention_parts", "TEXT")])
                    AddColumn(connection, "kernel_work", column, type);
            if (fromVersion >= 7)
                foreach (var column in (string[])["attn_flops_per_sq_sk", "kv_bytes_per_sk", "sliding_window"])
                    AddColumn(connection, "config_work", column, "INTEGER");
        }
        if (fromVersion is >= 4 and < 10)
        {
            // 10: a kernel row no longer holds its category and segmentation labels: kernel_name_categories holds the
            // category per kernel name and run, kernel_spans the labels per span of consecutive kernels. The views go
            // first (they read the old columns; the caller installs the current ones), then the old table steps aside
            // for Finish to split.
            DropViews(connection);
            LlmDatabase.Execute(connection, "DROP INDEX IF EXISTS kernel_rows_by_layer; ALTER TABLE kernel_rows RENAME TO kernel_rows_v9;");
        }
    }

    private static void DropViews(SqliteConnection connection)
    {
        var views = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'view'";
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) views.Add(reader.GetString(0));
        }
        foreach (var view in views) LlmDatabase.Execute(connection, $"DROP VIEW \"{view.Replace("\"", "\"\"", StringComparison.Ordinal)}\";");
    }

    /// <summary>Adds <paramref name="column"/> to <paramref name="table"/> unless the table has it already.</summary>
    private static void AddColumn(SqliteConnection connection, string table, string column, string type)
    {
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
            if ((long)cmd.ExecuteScalar()! > 0) return;
        }
        LlmDatabase.Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {type};");
    }

    /// <summary>
    /// Copies what <see cref="Upgrade"/> set aside into the tables <c>schema.sql</c> created: for a database older than
    /// schema 4, every kernel with its launch context in <c>launch_contexts</c> (each distinct op_name / input_dims /
    /// grid / block once); for one older than schema 10, every kernel into <c>kernel_rows</c>, its labels into
    /// <c>kernel_spans</c> (one span per run of consecutive kernels with equal labels) and its category into
    /// <c>kernel_name_categories</c>. Runs in the upgrade's transaction.
    /// </summary>
    /// <param name="connection">The database being upgraded, inside its transaction.</param>
    /// <param name="fromVersion">The version the database had before <see cref="Upgrade"/>.</param>
    public static void Finish(SqliteConnection connection, int fromVersion)
    {
        if (fromVersion is > 0 and < 4) CopyKernelsV3(connection);
        if (fromVersion is > 0 and < 10) SplitKernelLabels(connection);
    }

    /// <summary>The kernels of schema 1-3 as the kernel rows of schema 4-9 (<c>kernel_rows_v9</c>), with launch contexts.</summary>
    private static void CopyKernelsV3(SqliteConnection connection)
    {
        LlmDatabase.Execute(connection, """
            INSERT INTO launch_contexts (op_name, input_dims, grid, block)
            SELECT DISTINCT op_name, input_dims, grid, block FROM kernels_v3
            WHERE COALESCE(op_name, input_dims, grid, block) IS NOT NULL;
            CREATE TABLE kernel_rows_v9 AS
            SELECT k.run_id, k.device, k.kernel_idx, k.stream, k.ts_ns, k.dur_ns, k.name_id, k.category, k.pass_idx,
                   k.layer_idx, k.block_idx, k.half, k.role, k.correlation, k.external_id, c.context_id
            FROM kernels_v3 AS k
            LEFT JOIN launch_contexts AS c
                   ON c.op_name IS k.op_name AND c.input_dims IS k.input_dims AND c.grid IS k.grid AND c.block IS k.block;
            DROP TABLE kernels_v3;
            """);
    }

    /// <summary>
    /// Splits the kernel rows of schema 4-9 (<c>kernel_rows_v9</c>): the rows without their labels, the labels as spans
    /// (a new span wherever a label changes or a <c>kernel_idx</c> is missing), one category per name and run (the
    /// least, where hand edits gave kernels of one name different ones).
    /// </summary>
    private static void SplitKernelLabels(SqliteConnection connection)
    {
        LlmDatabase.Execute(connection, """
            INSERT INTO kernel_rows (run_id, device, kernel_idx, stream, ts_ns, dur_ns, name_id, correlation, external_id, context_id)
            SELECT run_id, device, kernel_idx, stream, ts_ns, dur_ns, name_id, correlation, external_id, context_id
            FROM kernel_rows_v9 ORDER BY run_id, device, kernel_idx;
            INSERT INTO kernel_name_categories (run_id, name_id, category)
            SELECT run_id, name_id, MIN(category) FROM kernel_rows_v9 GROUP BY run_id, name_id;
            INSERT INTO kernel_spans (run_id, device, first_kernel_idx, last_kernel_idx, pass_idx, layer_idx, block_idx, half, role)
            SELECT run_id, device, MIN(kernel_idx), MAX(kernel_idx), pass_idx, layer_idx, block_idx, half, role
            FROM (
                SELECT *, SUM(starts) OVER (PARTITION BY run_id, device ORDER BY kernel_idx ROWS UNBOUNDED PRECEDING) AS span
                FROM (
                    SELECT run_id, device, kernel_idx, pass_idx, layer_idx, block_idx, half, role,
                           CASE WHEN LAG(kernel_idx) OVER w = kernel_idx - 1 AND LAG(pass_idx) OVER w IS pass_idx
                                 AND LAG(layer_idx) OVER w IS layer_idx AND LAG(block_idx) OVER w IS block_idx
                                 AND LAG(half) OVER w IS half AND LAG(role) OVER w IS role
                                THEN 0 ELSE 1 END AS starts
                    FROM kernel_rows_v9
                    WINDOW w AS (PARTITION BY run_id, device ORDER BY kernel_idx)
                )
            )
            GROUP BY run_id, device, span;
            DROP TABLE kernel_rows_v9;
            """);
    }
}
