using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// A prepared <c>INSERT</c> statement reused for every row of one table: set the values, then <see cref="Run"/>.
/// Binds through SQLite's own calls on the connection's handle (the SQLitePCLRaw layer under Microsoft.Data.Sqlite; in
/// queued mode <see cref="SqliteNative"/>, with texts read in place from the pinned op log), which avoids boxing every
/// value into an ADO.NET parameter: the bulk path of ingest. Values are positional, in the
/// column order given; a value not set since the last row keeps the previous row's value.
/// </summary>
/// <remarks>
/// Runs inside whatever transaction is open on the connection. Given an <see cref="InsertQueue"/>, the calls are
/// recorded and replayed in the same order on the queue's writer thread (same rows, same values); errors then
/// surface on a later call, at <see cref="Flush"/> or at <see cref="Dispose"/>.
/// </remarks>
public sealed class BulkInsert : IDisposable
{
    private const int LogBytes = 1 << 18;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly string _table;
    private readonly InsertQueue? _queue;
    private byte[]? _log;
    private int _length;

    /// <summary>Prepares <c>INSERT [OR IGNORE] INTO table(columns) VALUES(?, ...)</c> on <paramref name="connection"/>.</summary>
    /// <exception cref="SqliteException">The statement does not compile (unknown table or column).</exception>
    /// <param name="connection">Open connection (its raw handle is used).</param>
    /// <param name="transaction">The open transaction the rows belong to (documentation only: SQLite binds statements to the connection).</param>
    /// <param name="table">Table name.</param>
    /// <param name="columns">Column names, in the order of the <c>Set</c> indexes.</param>
    /// <param name="verb"><c>INSERT</c> or <c>INSERT OR IGNORE</c>.</param>
    /// <param name="queue">When given, rows are executed on the queue's writer thread.</param>
    public BulkInsert(SqliteConnection connection, SqliteTransaction? transaction, string table, IReadOnlyList<string> columns, string verb = "INSERT", InsertQueue? queue = null)
    {
        _ = transaction; // the statement runs inside the connection's open transaction
        _queue = queue;
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _table = table;
        var sql = $"{verb} INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(_ => "?"))})";
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Sets column <paramref name="index"/> (0-based) to an integer, or NULL when null.</summary>
    public void Set(int index, long? value)
    {
        if (_queue is not null)
        {
            if (value is long q) Record(InsertQueue.OpInt64, index, q); else Record(InsertQueue.OpNull, index);
            return;
        }
        if (value is long v) raw.sqlite3_bind_int64(_statement, index + 1, v);
        else raw.sqlite3_bind_null(_statement, index + 1);
    }

    /// <summary>Sets column <paramref name="index"/> to a real number, or NULL when null.</summary>
    public void Set(int index, double? value)
    {
        if (_queue is not null)
        {
            if (value is double q) Record(InsertQueue.OpDouble, index, BitConverter.DoubleToInt64Bits(q)); else Record(InsertQueue.OpNull, index);
            return;
        }
        if (value is double v) raw.sqlite3_bind_double(_statement, index + 1, v);
        else raw.sqlite3_bind_null(_statement, index + 1);
    }

    /// <summary>Sets column <paramref name="index"/> to a text, or NULL when null.</summary>
    public void Set(int index, string? value)
    {
        if (_queue is not null)
        {
            if (value is null) Record(InsertQueue.OpNull, index); else SetUtf8(index, System.Text.Encoding.UTF8.GetBytes(value));
            return;
        }
        if (value is null) raw.sqlite3_bind_null(_statement, index + 1);
        else raw.sqlite3_bind_text(_statement, index + 1, value);
    }

    /// <summary>Sets column <paramref name="index"/> to UTF-8 text given as bytes (no string allocated).</summary>
    public void SetUtf8(int index, ReadOnlySpan<byte> utf8)
    {
        if (_queue is null)
        {
            raw.sqlite3_bind_text(_statement, index + 1, utf8);
            return;
        }
        var log = Reserve(6 + utf8.Length);
        log[_length] = InsertQueue.OpText;
        log[_length + 1] = (byte)index;
        BinaryPrimitives.WriteInt32LittleEndian(log.AsSpan(_length + 2), utf8.Length);
        utf8.CopyTo(log.AsSpan(_length + 6));
        _length += 6 + utf8.Length;
    }

    /// <summary>Executes the insert with the values set (queued mode: records it; the row is written later).</summary>
    /// <exception cref="SqliteException">SQLite refused the row (constraint, disk full, I/O error); queued: an earlier row.</exception>
    public void Run()
    {
        if (_queue is not null)
        {
            Reserve(1)[_length++] = InsertQueue.OpRun;
            if (_length >= LogBytes - 64) Hand();
            return;
        }
        Step();
    }

    /// <summary>Queued mode: waits until every row recorded so far is written.</summary>
    /// <exception cref="SqliteException">A queued row was refused.</exception>
    public void Flush()
    {
        if (_queue is null) return;
        Hand();
        _queue.Flush();
    }

    /// <summary>True once <see cref="Dispose"/> ran.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Gives a replayed op log back for reuse.</summary>
    internal void ReturnLog(byte[] log)
    {
        if (log.Length == LogBytes && PinnedLogs.Count < MaxPooledLogs) PinnedLogs.Enqueue(log);
    }

    /// <summary>
    /// Op logs live on the pinned object heap: the writer thread binds their texts in place (SQLITE_STATIC), which
    /// saves SQLite a copy and an allocation per text. Reused, so the queue's few logs are allocated once.
    /// </summary>
    private static byte[] RentLog(int bytes) =>
        bytes <= LogBytes && PinnedLogs.TryDequeue(out var log) ? log : GC.AllocateUninitializedArray<byte>(Math.Max(LogBytes, bytes), pinned: true);

    private static readonly ConcurrentQueue<byte[]> PinnedLogs = new();
    private const int MaxPooledLogs = 32;

    /// <summary>The raw statement pointer, for binds through <see cref="SqliteNative"/> (valid until <see cref="Dispose"/>).</summary>
    internal IntPtr Handle => _statement.DangerousGetHandle();

    private void Record(byte op, int index, long value = 0)
    {
        var log = Reserve(10);
        log[_length] = op;
        log[_length + 1] = (byte)index;
        if (op == InsertQueue.OpNull)
        {
            _length += 2;
            return;
        }
        BinaryPrimitives.WriteInt64LittleEndian(log.AsSpan(_length + 2), value);
        _length += 10;
    }

    private byte[] Reserve(int bytes)
    {
        if (_log is not null && _length + bytes <= _log.Length) return _log;
        Hand();
        _log = RentLog(bytes);
        return _log;
    }

    /// <summary>Hands the current log (if any) to the writer thread.</summary>
    internal void Hand()
    {
        if (_log is null) return;
        if (_length == 0) return;
        var log = _log;
        var length = _length;
        _log = null;
        _length = 0;
        _queue!.Enqueue(this, log, length);
    }

    /// <summary>sqlite3_step + reset of the prepared statement with its current bindings.</summary>
    internal void Step()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) Check(rc);
    }

    /// <inheritdoc />
    /// <exception cref="SqliteException">Queued mode: a row recorded earlier was refused.</exception>
    public void Dispose()
    {
        try
        {
            Flush();
        }
        finally
        {
            if (_log is not null) ReturnLog(_log);
            _log = null;
            _statement.Dispose();
            IsDisposed = true;
        }
    }

    private void Check(int rc) => SqliteNative.Check(_db, rc, $"insert into {_table}");
}
