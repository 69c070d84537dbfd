using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// A prepared <c>INSERT</c> statement reused for every row of one table: set the values, then <see cref="Run"/>.
/// Binds through SQLite's own calls on the connection's handle (the SQLitePCLRaw layer under Microsoft.Data.Sqlite),
/// which avoids boxing every value into an ADO.NET parameter: the bulk path of ingest. Values are positional, in the
/// column order given; a value not set since the last row keeps the previous row's value.
/// </summary>
/// <remarks>Runs inside whatever transaction is open on the connection.</remarks>
public sealed class BulkInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly string _table;

    /// <summary>Prepares <c>INSERT [OR IGNORE] INTO table(columns) VALUES(?, ...)</c> on <paramref name="connection"/>.</summary>
    /// <exception cref="SqliteException">The statement does not compile (unknown table or column).</exception>
    public BulkInsert(SqliteConnection connection, SqliteTransaction? transaction, string table, IReadOnlyList<string> columns, string verb = "INSERT")
    {
        _ = transaction; // the statement runs inside the connection's open transaction
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _table = table;
        var sql = $"{verb} INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(_ => "?"))})";
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Sets column <paramref name="index"/> (0-based) to an integer, or NULL when null.</summary>
    public void Set(int index, long? value)
    {
        if (value is long v) raw.sqlite3_bind_int64(_statement, index + 1, v);
        else raw.sqlite3_bind_null(_statement, index + 1);
    }

    /// <summary>Sets column <paramref name="index"/> to a real number, or NULL when null.</summary>
    public void Set(int index, double? value)
    {
        if (value is double v) raw.sqlite3_bind_double(_statement, index + 1, v);
        else raw.sqlite3_bind_null(_statement, index + 1);
    }

    /// <summary>Sets column <paramref name="index"/> to a text, or NULL when null.</summary>
    public void Set(int index, string? value)
    {
        if (value is null) raw.sqlite3_bind_null(_statement, index + 1);
        else raw.sqlite3_bind_text(_statement, index + 1, value);
    }

    /// <summary>Sets column <paramref name="index"/> to UTF-8 text given as bytes (no string allocated).</summary>
    public void SetUtf8(int index, ReadOnlySpan<byte> utf8) => raw.sqlite3_bind_text(_statement, index + 1, utf8);

    /// <summary>Executes the insert with the values set.</summary>
    /// <exception cref="SqliteException">SQLite refused the row (constraint, disk full, I/O error).</exception>
    public void Run()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) Check(rc);
    }

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc is raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW) return;
        throw new SqliteException($"insert into {_table}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc, raw.sqlite3_extended_errcode(_db));
    }
}
