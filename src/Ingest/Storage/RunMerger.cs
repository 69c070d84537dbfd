using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// Stores a run in the user's database in one <c>BEGIN IMMEDIATE</c> transaction, taken once the trace is read: the CPU-side
/// rows staged while the trace streamed by (launches, annotations, memory operations) are copied from the completed
/// <see cref="StagingDatabase"/> under the run's new id while the caller still builds the <c>runs</c> row (segmentation
/// runs on another thread meanwhile), then the <c>runs</c> row is inserted and a caller's callback writes the rest
/// (kernels and segmentation, held in memory). Either everything of the run lands or nothing does.
/// <see cref="MergeAll"/> does the same for the several runs of one file (the ranks of a merged multi-rank trace,
/// docs/messy-traces.md, B24): all of them or none.
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
    /// <param name="stagings">The runs' staging databases, committed (their files are attached to <paramref name="main"/> during the merge and only read); 1 to <see cref="MaxRunsPerMerge"/>.</param>
    /// <param name="sha256">The file's SHA-256, for the duplicate check.</param>
    /// <param name="optionsKey">The segmentation options key, for the duplicate check.</param>
    /// <param name="force">When false and a run with <paramref name="sha256"/> and <paramref name="optionsKey"/> exists, nothing is written.</param>
    /// <param name="runs">Returns the runs rows, one per staging database in the same order; called once the staged rows are copied (it may wait for them to be built).</param>
    /// <param name="writeRun">Called for each run (its index in <paramref name="stagings"/>, the connection, the transaction and its new run id) once its <c>runs</c> row and staged tables are in; writes the run's other rows.</param>
    /// <param name="inTransaction">Called with the new run ids inside the transaction, before the commit (e.g. to group the runs into a capture); an exception rolls everything back.</param>
    /// <returns>The new run ids, or the existing run's id alone with <c>AlreadyPresent</c> true.</returns>
    /// <exception cref="ArgumentException">No runs, more than <see cref="MaxRunsPerMerge"/>, or <paramref name="runs"/> returns another count.</exception>
    /// <exception cref="SqliteException">The database cannot be written (nothing of the runs is then stored).</exception>
    /// <exception cref="Exception">Whatever <paramref name="runs"/>, <paramref name="writeRun"/> or <paramref name="inTransaction"/> throw (nothing of the runs is then stored).</exception>
    public static (IReadOnlyList<long> RunIds, bool AlreadyPresent) MergeAll(SqliteConnection main,
        IReadOnlyList<StagingDatabase> stagings, string sha256, string optionsKey, bool force, Func<IReadOnlyList<RunRecord>> runs,
        Action<int, SqliteConnection, SqliteTransaction, long> writeRun,
        Action<SqliteConnection, SqliteTransaction, IReadOnlyList<long>>? inTransaction = null)
    {
        if (stagings.Count is 0 or > MaxRunsPerMerge)
            throw new ArgumentException($"MergeAll takes 1 to {MaxRunsPerMerge} staged runs, not {stagings.Count}", nameof(stagings));
        var attached = new List<string>();
        try
        {
            for (var i = 0; i < stagings.Count; i++)
            {
                var schema = stagings.Count == 1 ? "s" : $"s{i}";
                main.Execute($"ATTACH DATABASE $path AS {schema}", new { path = stagings[i].Path });
                attached.Add(schema);
            }
            // The run's rows are written with foreign-key enforcement off (it cannot change inside a transaction). The one
            // foreign key, kernels.name_id -> kernel_names, holds by construction: the names are inserted first, in the
            // same transaction. Enforced, it makes SQLite keep a statement journal for every multi-row insert of kernels.
            main.Execute("PRAGMA foreign_keys=OFF");
            using var tx = main.BeginTransaction(deferred: false);
            if (!force && FindExisting(main, sha256, optionsKey, tx) is long existing) return ([existing], true);
            var first = NextRunId(main, tx);
            var ids = Enumerable.Range(0, stagings.Count).Select(i => first + i).ToList();
            for (var i = 0; i < stagings.Count; i++)
                foreach (var table in StagedTables) CopyTable(main, tx, table, ids[i], attached[i]);
            var records = runs();
            if (records.Count != stagings.Count)
                throw new ArgumentException($"{records.Count} runs rows for {stagings.Count} staged runs", nameof(runs));
            for (var i = 0; i < stagings.Count; i++)
            {
                InsertRun(main, tx, ids[i], records[i]);
                writeRun(i, main, tx, ids[i]);
            }
            inTransaction?.Invoke(main, tx, ids);
            tx.Commit();
            return (ids, false);
        }
        finally
        {
            Restore(main, attached);
        }
    }

    /// <summary>
    /// Detaches the staging files and turns foreign-key enforcement back on (as <see cref="LlmDatabase"/> opens it). Each step is tried on its own and a failure is
    /// ignored, so that it never hides the merge's own error (the caller closes the connection after a failure anyway).
    /// </summary>
    private static void Restore(SqliteConnection main, IEnumerable<string> attached)
    {
        foreach (var schema in attached)
        {
            try { main.Execute($"DETACH DATABASE {schema}"); } catch (SqliteException) { }
        }
        try { main.Execute("PRAGMA foreign_keys=ON"); } catch (SqliteException) { }
    }

    /// <summary>
    /// The id the next run gets (its rows are copied before the <c>runs</c> row is inserted): one past the largest id ever
    /// given, as <c>AUTOINCREMENT</c> would (ids of deleted runs are never reused). Only valid inside the write transaction.
    /// </summary>
    private static long NextRunId(SqliteConnection main, SqliteTransaction tx) =>
        main.ExecuteScalar<long>("""
            SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'runs'), 0),
                       coalesce((SELECT max(run_id) FROM runs), 0)) + 1
            """, transaction: tx);

    /// <summary>True when a stored run's trace file had <paramref name="bytes"/> bytes (a file of another size cannot be one of them).</summary>
    public static bool AnyWithSize(SqliteConnection main, long bytes) =>
        main.ExecuteScalar<long>("SELECT EXISTS (SELECT 1 FROM runs WHERE source_bytes = $bytes)", new { bytes }) != 0;

    /// <summary>The run with this file hash and segmentation options, if one exists.</summary>
    public static long? FindExisting(SqliteConnection main, string sha256, string optionsKey, SqliteTransaction? tx = null) =>
        main.QueryFirstOrDefault<long?>(
            "SELECT run_id FROM runs WHERE source_sha256 = $sha AND options_key = $key ORDER BY run_id LIMIT 1",
            new { sha = sha256, key = optionsKey }, tx);

    private static void InsertRun(SqliteConnection main, SqliteTransaction tx, long runId, RunRecord r)
    {
        const string sql = """
            INSERT INTO runs (run_id, label, source_path, source_bytes, source_sha256, json_bytes, ingested_at, framework,
                framework_source, git_commit, model, model_source, gpu_name, rank, world_size, profile, profile_reason,
                anchor_kernel, anchor_role, anchor_reason, num_layers, num_layers_source, blocks_per_layer,
                layer_evidence, layer_evidence_detail, trace_start_ns, trace_end_ns, base_time_ns, config_json, tags, options_key, kernel_count, event_count,
                graph_launch_count)
            VALUES ($RunId, $Label, $SourcePath, $SourceBytes, $SourceSha256, $JsonBytes, $IngestedAt, $Framework,
                $FrameworkSource, $GitCommit, $Model, $ModelSource, $GpuName, $Rank, $WorldSize, $Profile, $ProfileReason,
                $AnchorKernel, $AnchorRole, $AnchorReason, $NumLayers, $NumLayersSource, $BlocksPerLayer,
                $LayerEvidence, $LayerEvidenceDetail, $TraceStartNs, $TraceEndNs, $BaseTimeNs, $ConfigJson, $Tags, $OptionsKey, $KernelCount, $EventCount,
                $GraphLaunchCount);
            """;
        var parameters = new DynamicParameters(r);
        parameters.Add("RunId", runId);
        main.Execute(sql, parameters, tx);
    }

    private static void CopyTable(SqliteConnection main, SqliteTransaction tx, string table, long runId, string s)
    {
        var columns = main.Query<string>($"SELECT name FROM pragma_table_info('{table}')", transaction: tx).ToList();
        var select = string.Join(", ", columns.Select(c => c == "run_id" ? "$run" : c));
        main.Execute($"INSERT INTO main.{table} ({string.Join(", ", columns)}) SELECT {select} FROM {s}.{table}", new { run = runId }, tx);
    }
}
