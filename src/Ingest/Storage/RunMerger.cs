using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// The one write transaction (<c>BEGIN IMMEDIATE</c>) that merges staged runs into the user's database, taken once
/// their traces are read, and the steps the ingest takes inside it, in its own order: <see cref="Begin"/> attaches the
/// staging databases and takes the lock; then, per run, <see cref="FindExisting(string, string)"/> (the duplicate
/// check), <see cref="NextRunId"/>, <see cref="CopyStaged"/> (the rows a <see cref="StagingDatabase"/> or a
/// <see cref="GroupStagingDatabase"/> holds, under the run's new id) and <see cref="InsertRun"/>; the caller writes the
/// run's other rows through <see cref="Connection"/> and <see cref="Transaction"/>, and ends with <see cref="Commit"/>.
/// Disposing without a commit rolls everything back, so either every run of the transaction lands or none does; disposing
/// also detaches the staging files and turns foreign-key enforcement back on. The merger calls nothing of the ingest.
/// </summary>
/// <remarks>
/// Foreign keys: the rows are written with enforcement off (it cannot change inside a transaction). The one foreign
/// key, <c>kernel_rows.name_id</c> → <c>kernel_names</c>, holds by construction: the names are inserted first, in the
/// same transaction. Enforced, it makes SQLite keep a statement journal for every multi-row insert of kernels.
/// </remarks>
public sealed class RunMerger : IDisposable
{
    /// <summary>
    /// Most staging databases one merge attaches (SQLite attaches at most 10 databases, and detaches none inside a
    /// transaction): so at most this many ranks per merged multi-rank file, each staged on its own. A group of files
    /// brings its runs in one <see cref="GroupStagingDatabase"/>, whatever their number.
    /// </summary>
    public const int MaxAttachedStagings = 10;

    private readonly SqliteConnection _main;
    private readonly List<string> _attached = [];
    private SqliteTransaction? _transaction;
    private bool _committed;

    private RunMerger(SqliteConnection main) => _main = main;

    /// <summary>
    /// Attaches <paramref name="stagingPaths"/> to <paramref name="main"/> (as <see cref="StagingSchema"/> 0, 1, …),
    /// turns foreign-key enforcement off and begins the write transaction, waiting for another writer's lock up to the
    /// connection's busy timeout.
    /// </summary>
    /// <param name="main">Open connection to the user's database (from <see cref="LlmDatabase.OpenForWrite"/>).</param>
    /// <param name="stagingPaths">Committed staging database files, read only; 0 to <see cref="MaxAttachedStagings"/>.</param>
    /// <returns>The merge; dispose it.</returns>
    /// <exception cref="ArgumentException">More than <see cref="MaxAttachedStagings"/> staging files.</exception>
    /// <exception cref="SqliteException">A file cannot be attached, or the lock is not granted within the busy timeout
    /// (the connection is then left as it was).</exception>
    public static RunMerger Begin(SqliteConnection main, IReadOnlyList<string> stagingPaths)
    {
        if (stagingPaths.Count > MaxAttachedStagings)
            throw new ArgumentException($"a merge attaches at most {MaxAttachedStagings} staging databases, not {stagingPaths.Count}", nameof(stagingPaths));
        var merger = new RunMerger(main);
        try
        {
            for (var i = 0; i < stagingPaths.Count; i++)
            {
                main.Execute($"ATTACH DATABASE $path AS {StagingSchema(i)}", new { path = stagingPaths[i] });
                merger._attached.Add(StagingSchema(i));
            }
            main.Execute("PRAGMA foreign_keys=OFF");
            merger._transaction = main.BeginTransaction(deferred: false);
            return merger;
        }
        catch
        {
            merger.Dispose();
            throw;
        }
    }

    /// <summary>The schema name staging file <paramref name="index"/> is attached as (<c>s0</c>, <c>s1</c>, …).</summary>
    public static string StagingSchema(int index) => $"s{index}";

    /// <summary>The user's database.</summary>
    public SqliteConnection Connection => _main;

    /// <summary>The write transaction.</summary>
    /// <exception cref="ObjectDisposedException">The merge was disposed or committed.</exception>
    public SqliteTransaction Transaction => _transaction is { } tx && !_committed ? tx : throw new ObjectDisposedException(nameof(RunMerger));

    /// <summary>The stored run with this file hash and segmentation options, if one exists (the duplicate check, inside the transaction).</summary>
    /// <param name="sha256">The trace file's SHA-256, lower-case hex.</param>
    /// <param name="optionsKey">The segmentation options key.</param>
    public long? FindExisting(string sha256, string optionsKey) => FindExisting(_main, sha256, optionsKey, Transaction);

    /// <summary>
    /// The id the next run gets (its rows are copied before its <c>runs</c> row is inserted): one past the largest id ever
    /// given, as <c>AUTOINCREMENT</c> would (ids of deleted runs are never reused, and a run inserted in this transaction
    /// counts).
    /// </summary>
    public long NextRunId() =>
        _main.ExecuteScalar<long>("""
            SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'runs'), 0),
                       coalesce((SELECT max(run_id) FROM runs), 0)) + 1
            """, transaction: Transaction);

    /// <summary>
    /// Copies the rows of <paramref name="tables"/> that staging file <paramref name="staging"/> holds under
    /// <paramref name="stagedRunId"/> into the user's database under <paramref name="runId"/>, row for row (every column,
    /// <c>run_id</c> replaced), in the order the staging file holds them.
    /// </summary>
    /// <param name="staging">Index of the staging file (<see cref="Begin"/>'s order).</param>
    /// <param name="stagedRunId">The run's id in the staging file (0 in a <see cref="StagingDatabase"/>).</param>
    /// <param name="runId">The run's id in the user's database.</param>
    /// <param name="tables">Tables of the schema, present in both files.</param>
    /// <exception cref="SqliteException">The database cannot be written.</exception>
    public void CopyStaged(int staging, long stagedRunId, long runId, IEnumerable<string> tables)
    {
        foreach (var table in tables)
            _main.Execute(StagingDatabase.CopyRowsSql(_main, Transaction, table, StagingSchema(staging), onlyStagedRun: true),
                new { run = runId, staged = stagedRunId }, Transaction);
    }

    /// <summary>Inserts the <c>runs</c> row of <paramref name="runId"/>.</summary>
    /// <exception cref="SqliteException">The database cannot be written, or the id is taken.</exception>
    public void InsertRun(long runId, RunRecord run)
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
        var parameters = new DynamicParameters(run);
        parameters.Add("RunId", runId);
        _main.Execute(sql, parameters, Transaction);
    }

    /// <summary>Commits: every run written in the transaction lands at once.</summary>
    /// <exception cref="SqliteException">The commit failed (nothing landed).</exception>
    public void Commit()
    {
        Transaction.Commit();
        _committed = true;
    }

    /// <summary>
    /// Rolls back what was not committed, detaches the staging files and turns foreign-key enforcement back on (as
    /// <see cref="LlmDatabase"/> opens it). Each step is tried on its own and a failure is ignored, so that it never
    /// hides the merge's own error (the caller closes the connection after a failure anyway).
    /// </summary>
    public void Dispose()
    {
        try { _transaction?.Dispose(); } catch (SqliteException) { }
        _transaction = null;
        foreach (var schema in _attached)
        {
            try { _main.Execute($"DETACH DATABASE {schema}"); } catch (SqliteException) { }
        }
        _attached.Clear();
        try { _main.Execute("PRAGMA foreign_keys=ON"); } catch (SqliteException) { }
    }

    /// <summary>True when a stored run's trace file had <paramref name="bytes"/> bytes (a file of another size cannot be one of them).</summary>
    public static bool AnyWithSize(SqliteConnection main, long bytes) =>
        main.ExecuteScalar<long>("SELECT EXISTS (SELECT 1 FROM runs WHERE source_bytes = $bytes)", new { bytes }) != 0;

    /// <summary>The stored run with this file hash and segmentation options, if one exists.</summary>
    /// <param name="main">The user's database.</param>
    /// <param name="sha256">The trace file's SHA-256, lower-case hex.</param>
    /// <param name="optionsKey">The segmentation options key.</param>
    /// <param name="tx">The open transaction, or null outside one.</param>
    public static long? FindExisting(SqliteConnection main, string sha256, string optionsKey, SqliteTransaction? tx = null) =>
        main.QueryFirstOrDefault<long?>(
            "SELECT run_id FROM runs WHERE source_sha256 = $sha AND options_key = $key ORDER BY run_id LIMIT 1",
            new { sha = sha256, key = optionsKey }, tx);
}
