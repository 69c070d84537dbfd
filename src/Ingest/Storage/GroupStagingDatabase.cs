using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// A private, temporary SQLite file (journal off, no fsync, like <see cref="StagingDatabase"/>) that holds the runs of
/// a group of trace files (the rank files of one capture) from the moment each file is read until the one transaction
/// that stores the whole group: per run, the CPU-side rows of its <see cref="StagingDatabase"/>
/// (<see cref="StagingDatabase.StagedTables"/>, copied by <see cref="AddRun"/>, after which that staging file can be
/// deleted), and whatever the caller parks next to them through <see cref="Connection"/> (the run's kernel and
/// segmentation rows), all under the run's id in this file (1, 2, … in the order added). Parked rows keep memory at
/// one file's kernels however many files the group has, and <see cref="RunMerger"/> attaches this one file however
/// many runs it holds (SQLite attaches at most <see cref="RunMerger.MaxAttachedStagings"/> databases).
/// </summary>
public sealed class GroupStagingDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private long _runs;
    private bool _disposed;

    /// <summary>Creates the file in <paramref name="directory"/> (<see cref="StagingDatabase.DefaultDirectory"/> when null).</summary>
    /// <exception cref="DatabaseException">The folder is not writable.</exception>
    public GroupStagingDatabase(string? directory = null) => (Path, _connection) = StagingDatabase.CreateFile(directory, "");

    /// <summary>The file path (a name <see cref="StagingDatabase.RemoveStale"/> removes once this process is gone).</summary>
    public string Path { get; }

    /// <summary>The open connection, outside any transaction between calls.</summary>
    public SqliteConnection Connection => _disposed ? throw new ObjectDisposedException(nameof(GroupStagingDatabase)) : _connection;

    /// <summary>
    /// Adds a run: copies the staged rows of <paramref name="staging"/> (committed) under a new id of this file, in one
    /// transaction, and returns that id. The caller then parks the run's other rows under the same id.
    /// </summary>
    /// <param name="staging">The run's staging database, committed; only read.</param>
    /// <returns>The run's id in this file: 1 for the first run added, then 2, 3, ….</returns>
    /// <exception cref="SqliteException">A file cannot be read or written (a full temporary folder).</exception>
    public long AddRun(StagingDatabase staging)
    {
        // The id is taken first: rows a failed copy left (the journal is off) are never another run's.
        var runId = ++_runs;
        Connection.Execute("ATTACH DATABASE $path AS staged", new { path = staging.Path });
        try
        {
            using var tx = _connection.BeginTransaction();
            foreach (var table in StagingDatabase.StagedTables)
                _connection.Execute(StagingDatabase.CopyRowsSql(_connection, tx, table, "staged", onlyStagedRun: false), new { run = runId }, tx);
            tx.Commit();
        }
        finally
        {
            try { _connection.Execute("DETACH DATABASE staged"); } catch (SqliteException) { }
        }
        return runId;
    }

    /// <summary>Runs added so far (ids given, a failed copy's included).</summary>
    public long RunCount => _runs;

    /// <inheritdoc />
    /// <remarks>Deletes the file; a second call does nothing.</remarks>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _connection.Dispose();
        StagingDatabase.DeleteFiles(Path);
    }
}
