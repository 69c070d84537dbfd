using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// Opens LlmPipeline databases: creates the schema and views in a new file, upgrades an older one in place
/// (<c>PRAGMA user_version</c>), refuses one written by a newer LlmPipeline, and sets WAL mode and a busy timeout so
/// that readers and a second writer never see "database is locked".
/// </summary>
public static class LlmDatabase
{
    /// <summary>Schema version written to <c>PRAGMA user_version</c>; bump it with every schema change.</summary>
    public const int SchemaVersion = 10;

    /// <summary>How long a connection waits for another writer's lock before failing, in milliseconds.</summary>
    public const int BusyTimeoutMs = 600_000;

    /// <summary>
    /// Opens (creating when absent) a database for writing, with the schema and every view installed.
    /// </summary>
    /// <param name="path">Database file path; its directory must exist.</param>
    /// <returns>An open connection in WAL mode.</returns>
    /// <exception cref="DatabaseException">Missing directory, read-only or unreadable file, not a database, or a newer schema.</exception>
    public static SqliteConnection OpenForWrite(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
            throw new DatabaseException($"{path}: directory '{dir}' does not exist; create it or choose another --db path.");
        return Guarded(path, Connect(path, SqliteOpenMode.ReadWriteCreate), connection =>
        {
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, "PRAGMA synchronous=NORMAL;");
            // 2 MiB page cache (SQLite's default), set explicitly: storing a run inserts into the kernels table and its
            // kernels_by_layer index at once, but 16 MiB wrote kernels little faster and added ~20 MB to an ingest's
            // peak RSS, 4 MiB 2 MB (4 GB trace: write kernels 4.7-4.8 s with 4 MiB, 4.9-5.5 s with 2 MiB; issue 19).
            Execute(connection, "PRAGMA cache_size=-2048;");
            EnsureSchema(connection, path);
            return connection;
        });
    }

    /// <summary>
    /// Opens an existing database read-only for one thread's bulk read through SQLite's own calls
    /// (<see cref="SqliteNative"/>): in SQLite's multi-thread mode (<c>SQLITE_OPEN_NOMUTEX</c>), so that each column
    /// read does not lock and unlock the connection's mutex, as the serialized connections of Microsoft.Data.Sqlite do
    /// (https://sqlite.org/threadsafe.html). The handle and its statements must stay on one thread at a time. The
    /// schema is not checked: the caller has the file open already.
    /// </summary>
    /// <param name="path">Database file path.</param>
    /// <returns>The open handle; dispose it to close.</returns>
    /// <exception cref="SqliteException">SQLite cannot open the file.</exception>
    public static SQLitePCL.sqlite3 OpenOneThreadReader(string path)
    {
        var rc = SQLitePCL.raw.sqlite3_open_v2(path, out var db, SQLitePCL.raw.SQLITE_OPEN_READONLY | SQLitePCL.raw.SQLITE_OPEN_NOMUTEX, null);
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            var message = db is null || db.IsInvalid ? SQLitePCL.raw.sqlite3_errstr(rc).utf8_to_string() : SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string();
            db?.Dispose();
            throw new SqliteException($"{path}: {message}", rc);
        }
        SQLitePCL.raw.sqlite3_busy_timeout(db, BusyTimeoutMs);
        return db;
    }

    /// <summary>Opens an existing database read-only (reports, <c>llmpipe sql</c> without <c>--write</c>).</summary>
    /// <param name="path">Database file path.</param>
    /// <exception cref="DatabaseException">The file does not exist, is not an LlmPipeline database, or needs an upgrade that a read-only open cannot do.</exception>
    public static SqliteConnection OpenReadOnly(string path)
    {
        if (!File.Exists(path))
            throw new DatabaseException($"{path}: no such database. Ingest a trace first: llmpipe ingest TRACE --db {path}");
        return Guarded(path, Connect(path, SqliteOpenMode.ReadOnly), connection =>
        {
            var version = UserVersion(connection);
            if (version > SchemaVersion)
                throw new DatabaseException($"{path}: written by a newer LlmPipeline (schema {version}, this build reads up to {SchemaVersion}); upgrade llmpipe.");
            if (version == SchemaVersion) return connection;
            connection.Dispose();
            // Upgrade in place, then reopen read-only.
            OpenForWrite(path).Dispose();
            return Connect(path, SqliteOpenMode.ReadOnly);
        });
    }

    /// <summary>Reads <c>PRAGMA user_version</c>.</summary>
    public static int UserVersion(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// (Re)creates every view from <c>sql/views/</c>, then their triggers from <c>sql/triggers/</c> (dropping a view drops
    /// its triggers), inside the current transaction or as its own.
    /// </summary>
    public static void InstallViews(SqliteConnection connection)
    {
        foreach (var (name, _) in SqlResources.Views.Reverse())
            Execute(connection, $"DROP VIEW IF EXISTS \"{name}\";");
        foreach (var (_, sql) in SqlResources.Views)
            Execute(connection, sql);
        foreach (var (_, sql) in SqlResources.Triggers)
            Execute(connection, sql);
    }

    private static void EnsureSchema(SqliteConnection connection, string path)
    {
        int version;
        bool Current()
        {
            version = UserVersion(connection);
            if (version > SchemaVersion)
                throw new DatabaseException($"{path}: written by a newer LlmPipeline (schema {version}, this build writes {SchemaVersion}); upgrade llmpipe or use another --db.");
            return version == SchemaVersion && ViewsCurrent(connection) && WarningKindsTable.IsCurrent(connection);
        }
        if (Current()) return;
        // BEGIN IMMEDIATE, then look again: another process may be upgrading the same file right now. It holds the
        // write lock, this one waits (busy timeout) and then finds the work done instead of repeating it.
        using var tx = connection.BeginTransaction(deferred: false);
        if (Current()) return;
        if (version == 0 && HasTable(connection, "runs") is false && HasAnyTable(connection))
            throw new DatabaseException($"{path}: not an LlmPipeline database (it has other tables); choose another --db path.");
        SchemaMigrations.Upgrade(connection, version);
        Execute(connection, SqlResources.Schema);
        SchemaMigrations.Finish(connection, version);
        InstallViews(connection);
        WarningKindsTable.Write(connection);
        // Schema 5 moved layer boundaries to the model's own (a layer starts at its input norm): stored runs are
        // segmented again from their stored kernels, in the same transaction, without their trace files.
        if (version is > 0 and < 5) Resegment.RunResegmenter.UpgradeStoredRuns(connection, tx);
        // Every upgrade computes the work of every stored kernel, the config-derived work and the attention lengths of
        // every stored run again with this build's formulas (a formula change ships with a schema bump); a database
        // older than schema 6 also gets its runs' GPU peaks (efficiency views).
        if (version is > 0 and < SchemaVersion) WorkTables.Recompute(connection, tx, setPeaks: version < 6);
        // Schema 9 notes each pass against the passes of its own phase, and a first pass is cold-start only against the
        // later ones' median: every stored run's notes are written again (docs/segmentation.md, pass notes).
        if (version is > 0 and < 9) Phases.PhaseAssignment.RenoteStoredRuns(connection, tx);
        // Schema 9 also demangles Itanium names and keeps simplified names unique in the database.
        if (version is > 0 and < 9) SimplifiedNames.RewriteAll(connection);
        Execute(connection, $"PRAGMA user_version={SchemaVersion};");
        tx.Commit();
    }

    private static bool ViewsCurrent(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger')";
        var present = new Dictionary<string, string>(StringComparer.Ordinal);
        var triggers = new List<(string View, string Sql)>();
        using (var reader = cmd.ExecuteReader())
            while (reader.Read())
            {
                var sql = reader.IsDBNull(3) ? "" : reader.GetString(3);
                if (reader.GetString(0) == "view") present[reader.GetString(1)] = sql;
                else triggers.Add((reader.GetString(2), sql));
            }
        foreach (var (name, sql) in SqlResources.Views)
        {
            if (!present.TryGetValue(name, out var stored)) return false;
            if (!sql.Contains(stored.Trim().TrimEnd(';'), StringComparison.Ordinal)) return false;
        }
        foreach (var (view, sql) in SqlResources.Triggers)
        {
            var stored = triggers.Where(t => t.View == view).ToList();
            var expected = sql.Split("CREATE TRIGGER", StringSplitOptions.None).Length - 1;
            if (stored.Count != expected || stored.Any(t => !sql.Contains(t.Sql.Trim().TrimEnd(';'), StringComparison.Ordinal))) return false;
        }
        return true;
    }

    private static bool HasTable(SqliteConnection connection, string name)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=$n";
        cmd.Parameters.AddWithValue("$n", name);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static bool HasAnyTable(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table'";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        };
        return Guarded(path, new SqliteConnection(builder.ToString()), connection =>
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutMs};");
            // Touch the file so that "file is not a database" surfaces here.
            UserVersion(connection);
            return connection;
        });
    }

    /// <summary>
    /// Runs <paramref name="open"/> on a connection just created for <paramref name="path"/> and returns the connection
    /// it gives. On any failure the connection is disposed and the exception rethrown, a SQLite error as the
    /// <see cref="DatabaseException"/> of <see cref="Translate"/> (naming the file and what to do).
    /// </summary>
    private static SqliteConnection Guarded(string path, SqliteConnection connection, Func<SqliteConnection, SqliteConnection> open)
    {
        try
        {
            return open(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Translate(path, ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Turns a SQLite error into a message that names the file and says what to do.</summary>
    public static DatabaseException Translate(string path, SqliteException ex) => ex.SqliteErrorCode switch
    {
        26 => new DatabaseException($"{path}: not a SQLite database; choose another --db path.", ex),
        8 => new DatabaseException($"{path}: the database is read-only (file or directory permissions); use a writable --db path.", ex),
        14 => new DatabaseException($"{path}: cannot open the database file (missing directory or no permission).", ex),
        13 => new DatabaseException($"{path}: the disk is full; free space and ingest again (nothing of this run was kept).", ex),
        10 => new DatabaseException($"{path}: disk I/O error ({ex.Message}); check the disk and ingest again.", ex),
        5 or 6 => new DatabaseException($"{path}: the database stayed locked by another process for {BusyTimeoutMs / 1000} s; try again.", ex),
        _ => new DatabaseException($"{path}: SQLite error {ex.SqliteErrorCode}: {ex.Message}", ex),
    };
}
