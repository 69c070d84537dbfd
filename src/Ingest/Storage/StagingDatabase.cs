using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// A private, temporary SQLite file that the CPU-side rows of one ingest spill into while the trace is read (journal off,
/// no fsync: nothing in it must survive a crash): launches, annotations, memory operations and the CPU operators that
/// kernels link to, so memory does not grow with the CPU events. Once the trace is read, <see cref="RunMerger"/> copies
/// them (<see cref="StagedTables"/>) into the user's database in the transaction that stores the run, so reading never
/// holds the user's database locked and a crash never leaves half a run.
/// Rows carry <c>run_id</c> 0 until the merge assigns the real id. Inserts prepared with <see cref="Insert"/> run on a
/// background writer thread (<see cref="InsertQueue"/>); reading <see cref="Connection"/> or <see cref="Transaction"/>
/// first waits until every recorded row is written, so SQL run through them sees all rows.
/// </summary>
public sealed class StagingDatabase : IDisposable
{
    private readonly SqliteConnection _connection = null!;
    private readonly SqliteTransaction _transaction = null!;
    private readonly InsertQueue? _queue;
    private readonly List<BulkInsert> _inserts = [];
    private bool _disposed;

    /// <summary>The tables whose rows a staging database holds for its run and the merge copies: memory operations, annotations, launches.</summary>
    public static readonly IReadOnlyList<string> StagedTables = ["memory_ops", "annotations", "launches"];

    private const string ExtraSchema = """
        CREATE TABLE cpu_ops (
            external_id  INTEGER PRIMARY KEY, -- args["External id"] of a cpu_op: the first one seen wins
            name_id      INTEGER NOT NULL,    -- EventNormalizer.OpNames id of its name
            dims_id      INTEGER              -- EventNormalizer.OpDims id of its "Input Dims" JSON text, NULL when none
        );
        """;

    /// <summary>Creates the staging file in <paramref name="directory"/> (the system temp folder when null).</summary>
    /// <exception cref="DatabaseException">The temp folder is not writable.</exception>
    /// <param name="directory">Folder of the staging file; null: <c>LLMPIPE_TMPDIR</c>, else the system temp folder.</param>
    /// <param name="backgroundWriter">Run prepared inserts on a writer thread (false: on the caller's thread).</param>
    public StagingDatabase(string? directory = null, bool backgroundWriter = true)
    {
        (Path, _connection) = CreateFile(directory, ExtraSchema);
        _transaction = _connection.BeginTransaction();
        if (backgroundWriter) _queue = new InsertQueue();
    }

    /// <summary>
    /// Creates a staging file in <paramref name="directory"/> (<see cref="DefaultDirectory"/> when null), named so that
    /// <see cref="RemoveStale"/> finds it after a crash: journal off, no fsync, the schema's tables without their
    /// secondary indexes (staging needs none) and <paramref name="extraSchema"/>.
    /// </summary>
    /// <returns>The path and the open connection.</returns>
    /// <exception cref="DatabaseException">The folder is not writable.</exception>
    internal static (string Path, SqliteConnection Connection) CreateFile(string? directory, string extraSchema)
    {
        var dir = directory ?? DefaultDirectory;
        var path = System.IO.Path.Combine(dir, $"llmpipe-staging-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = false }.ToString());
        try
        {
            connection.Open();
            LlmDatabase.Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1024;");
            LlmDatabase.Execute(connection, WithoutIndexes(SqlResources.Schema));
            if (extraSchema.Length > 0) LlmDatabase.Execute(connection, extraSchema);
            return (path, connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            DeleteFiles(path);
            throw new DatabaseException($"{path}: cannot create the staging database in '{dir}' ({ex.Message}); set LLMPIPE_TMPDIR to a writable folder.", ex);
        }
    }

    /// <summary>
    /// The statement that copies the rows of <paramref name="table"/> from schema <paramref name="from"/> into the same
    /// table of <c>main</c>, every column, with <c>run_id</c> set to the parameter <c>$run</c>; with
    /// <paramref name="onlyStagedRun"/>, only the rows whose <c>run_id</c> is the parameter <c>$staged</c>. The statement
    /// is <c>INSERT OR FAIL</c>: inside a transaction that a failure rolls back whole, SQLite then keeps no statement journal.
    /// </summary>
    internal static string CopyRowsSql(SqliteConnection connection, SqliteTransaction? tx, string table, string from, bool onlyStagedRun)
    {
        var columns = connection.Query<string>($"SELECT name FROM pragma_table_info('{table}')", transaction: tx).ToList();
        var select = string.Join(", ", columns.Select(c => c == "run_id" ? "$run" : c));
        return $"INSERT OR FAIL INTO main.{table} ({string.Join(", ", columns)}) SELECT {select} FROM {from}.{table}{(onlyStagedRun ? " WHERE run_id = $staged" : "")}";
    }

    /// <summary>Deletes a staging file and its journals; a file that cannot be deleted is left (<see cref="RemoveStale"/> gets it later).</summary>
    internal static void DeleteFiles(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-journal", "-wal", "-shm" })
        {
            try { File.Delete(path + suffix); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The staging folder when none is given: <c>LLMPIPE_TMPDIR</c>, else the system temp folder.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("LLMPIPE_TMPDIR") is { Length: > 0 } dir ? dir : System.IO.Path.GetTempPath();

    /// <summary>
    /// Deletes staging files (<c>llmpipe-staging-&lt;pid&gt;-*.db</c> and their journals) left in
    /// <paramref name="directory"/> by ingest processes that were killed: those whose pid is no longer a running
    /// process. Files of running processes (a concurrent ingest) are kept; a file that cannot be deleted is skipped.
    /// Every ingest calls it once, at its start (<see cref="Ingestion.TraceIngestor"/>), before it can end early as
    /// "already present".
    /// </summary>
    /// <param name="directory">The staging folder.</param>
    /// <returns>The number of files deleted.</returns>
    public static int RemoveStale(string directory)
    {
        var removed = 0;
        string[] files;
        try
        {
            files = Directory.GetFiles(directory, "llmpipe-staging-*");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var file in files)
        {
            var name = System.IO.Path.GetFileName(file);
            var parts = name.Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid == Environment.ProcessId || IsRunning(pid)) continue;
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The schema text with its <c>CREATE INDEX</c> statements removed.</summary>
    internal static string WithoutIndexes(string schema) =>
        System.Text.RegularExpressions.Regex.Replace(schema, @"CREATE INDEX[^;]*;", "", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>The staging file path.</summary>
    public string Path { get; }

    /// <summary>The open connection (one transaction spans the whole staging), once every queued row is written.</summary>
    /// <exception cref="SqliteException">A queued row was refused (disk full, I/O error).</exception>
    public SqliteConnection Connection
    {
        get
        {
            Flush();
            return _connection;
        }
    }

    /// <summary>The staging transaction, once every queued row is written.</summary>
    /// <exception cref="SqliteException">A queued row was refused.</exception>
    public SqliteTransaction Transaction
    {
        get
        {
            Flush();
            return _transaction;
        }
    }

    /// <summary>Prepares an insert into a staging table (rows written on the writer thread).</summary>
    public BulkInsert Insert(string table, params string[] columns) => Track(new(_connection, _transaction, table, columns, "INSERT", _queue));

    /// <summary>Prepares an <c>INSERT OR IGNORE</c> into a staging table (rows written on the writer thread).</summary>
    public BulkInsert InsertOrIgnore(string table, params string[] columns) => Track(new(_connection, _transaction, table, columns, "INSERT OR IGNORE", _queue));

    /// <summary>Waits until every row recorded by this staging's inserts is written.</summary>
    /// <exception cref="SqliteException">A queued row was refused.</exception>
    public void Flush()
    {
        if (_queue is null) return;
        _inserts.RemoveAll(i => i.IsDisposed);
        foreach (var insert in _inserts) insert.Hand();
        _queue.Flush();
    }

    private BulkInsert Track(BulkInsert insert)
    {
        if (_queue is not null) _inserts.Add(insert);
        return insert;
    }

    /// <summary>Commits the staged rows (before the merge reads them).</summary>
    public void Commit() => Transaction.Commit();

    /// <inheritdoc />
    /// <remarks>Deletes the file; a second call does nothing.</remarks>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _queue?.Dispose();
        try { _transaction?.Dispose(); } catch (SqliteException) { }
        _connection?.Dispose();
        DeleteFiles(Path);
    }
}
