using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// Stores a run in the user's database in one <c>BEGIN IMMEDIATE</c> transaction, taken once the trace is read: the
/// <c>runs</c> row gets the next <c>run_id</c>, the CPU-side rows staged while the trace streamed by (launches,
/// annotations, memory operations) are copied from the completed <see cref="StagingDatabase"/>, and a caller's callback
/// writes the rest (kernels and segmentation, held in memory) under the new id. Either everything of the run lands or nothing does.
/// <see cref="MergeAll"/> does the same for the several runs of one file (the ranks of a merged multi-rank trace,
/// field-problems.md B24): all of them or none.
/// </summary>
public static class RunMerger
{
    /// <summary>Staged tables copied row for row (every column, <c>run_id</c> replaced).</summary>
    private static readonly string[] StagedTables = ["memory_ops", "annotations", "launches"];

    /// <summary>Most staged runs <see cref="MergeAll"/> takes at once (SQLite attaches at most 10 databases).</summary>
    public const int MaxRunsPerMerge = 10;

    /// <summary>
    /// Merges several staged runs of one file in one <c>BEGIN IMMEDIATE</c> transaction: every run lands, in the order
    /// given (consecutive run ids), or none does.
    /// </summary>
    /// <param name="main">Open connection to the user's database (from <see cref="LlmDatabase.OpenForWrite"/>).</param>
    /// <param name="runs">The staging databases (transactions still open) with their <c>runs</c> rows; 1 to <see cref="MaxRunsPerMerge"/>.</param>
    /// <param name="force">When false and a run with the first run's SHA-256 and options key exists, nothing is written.</param>
    /// <param name="writeRun">Called for each run (its index in <paramref name="runs"/>, the connection, the transaction and its new run id) once its <c>runs</c> row and staged tables are in; writes the run's other rows.</param>
    /// <param name="inTransaction">Called with the new run ids inside the transaction, before the commit (e.g. to group the runs into a capture); an exception rolls everything back.</param>
    /// <returns>The new run ids, or the existing run's id alone with <c>AlreadyPresent</c> true.</returns>
    /// <exception cref="ArgumentException">No runs, or more than <see cref="MaxRunsPerMerge"/>.</exception>
    /// <exception cref="SqliteException">The database cannot be written (nothing of the runs is then stored).</exception>
    public static (IReadOnlyList<long> RunIds, bool AlreadyPresent) MergeAll(SqliteConnection main,
        IReadOnlyList<(StagingDatabase Staging, RunRecord Run)> runs, bool force,
        Action<int, SqliteConnection, SqliteTransaction, long> writeRun,
        Action<SqliteConnection, SqliteTransaction, IReadOnlyList<long>>? inTransaction = null)
    {
        if (runs.Count is 0 or > MaxRunsPerMerge)
            throw new ArgumentException($"MergeAll takes 1 to {MaxRunsPerMerge} staged runs, not {runs.Count}", nameof(runs));
        foreach (var (staging, _) in runs)
        {
            staging.Commit();
            staging.Connection.Close();
        }
        var attached = new List<string>();
        try
        {
            for (var i = 0; i < runs.Count; i++)
            {
                var schema = runs.Count == 1 ? "s" : $"s{i}";
                main.Execute($"ATTACH DATABASE $path AS {schema}", new { path = runs[i].Staging.Path });
                attached.Add(schema);
            }
            using var tx = main.BeginTransaction(deferred: false);
            if (!force)
            {
                var existing = FindExisting(main, runs[0].Run.SourceSha256, runs[0].Run.OptionsKey, tx);
                if (existing is long id) return ([id], true);
            }
            var ids = new List<long>();
            for (var i = 0; i < runs.Count; i++)
            {
                var runId = InsertRun(main, tx, runs[i].Run);
                foreach (var table in StagedTables) CopyTable(main, tx, table, runId, attached[i]);
                writeRun(i, main, tx, runId);
                ids.Add(runId);
            }
            inTransaction?.Invoke(main, tx, ids);
            tx.Commit();
            return (ids, false);
        }
        finally
        {
            foreach (var schema in attached) main.Execute($"DETACH DATABASE {schema}");
        }
    }

    /// <summary>True when a stored run's trace file had <paramref name="bytes"/> bytes (a file of another size cannot be one of them).</summary>
    public static bool AnyWithSize(SqliteConnection main, long bytes) =>
        main.ExecuteScalar<long>("SELECT EXISTS (SELECT 1 FROM runs WHERE source_bytes = $bytes)", new { bytes }) != 0;

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

    private static void CopyTable(SqliteConnection main, SqliteTransaction tx, string table, long runId, string s)
    {
        var columns = main.Query<string>($"SELECT name FROM pragma_table_info('{table}')", transaction: tx).ToList();
        var select = string.Join(", ", columns.Select(c => c == "run_id" ? "$run" : c));
        main.Execute($"INSERT INTO main.{table} ({string.Join(", ", columns)}) SELECT {select} FROM {s}.{table}", new { run = runId }, tx);
    }
}
