using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// A prepared insert of many rows per statement into one table, for the bulk rows written inside the transaction that
/// stores a run (the kernels). One <c>sqlite3_step</c> of a single-row <c>INSERT</c> opens the table's and every
/// index's cursor again and seeks from the root; a statement carrying <see cref="RowsPerStatement"/> rows pays that once
/// per batch (on a 1 GB trace: 733 k kernel rows in about a third of the time). Values bind through SQLite's own calls
/// (<see cref="SqliteNative"/>, the library under Microsoft.Data.Sqlite), positional per row.
/// </summary>
/// <remarks>
/// The statement is <c>INSERT OR FAIL</c>: a refused row stops the statement and the rows of its batch before it stay
/// written, so the caller must roll the transaction back on an error (ingest does). With the default <c>ABORT</c>, SQLite
/// would keep a statement journal to undo a failed statement, copying every page each statement touches (on a 1 GB
/// trace, hundreds of MB, partly spilled to a temporary file). A foreign key enforced on the table needs that journal
/// too, whatever the conflict clause: <see cref="RunMerger"/> writes with enforcement off.
/// Unlike <see cref="BulkInsert"/>, every column must be set for every row (a slot keeps the value of the batch before),
/// and the first column must never be NULL: the statement is
/// <c>INSERT OR FAIL INTO t (c1, ...) SELECT * FROM (VALUES (?, ...), ...) WHERE column1 IS NOT NULL</c>, and the last, partial
/// batch is written by binding NULL to the first column of its unused rows.
/// </remarks>
public sealed class MultiRowInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;
    private readonly string _table;
    private readonly int _columns;
    private int _row;
    private int _offset;

    /// <summary>Rows per statement.</summary>
    public int RowsPerStatement { get; }

    /// <summary>Most parameters one statement may have (SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32).</summary>
    public const int MaxParameters = 32_766;

    /// <summary>Prepares the statement on <paramref name="connection"/> (it runs inside the connection's open transaction).</summary>
    /// <param name="connection">Open connection (its raw handle is used).</param>
    /// <param name="table">Table name.</param>
    /// <param name="columns">Column names, in the order of the <c>Set</c> indexes; the first is never NULL.</param>
    /// <param name="rowsPerStatement">Rows per statement; columns × rows stays under SQLite's 32,766 parameters.</param>
    /// <exception cref="SqliteException">The statement does not compile (unknown table or column).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowsPerStatement"/> is below 1, or columns × rows exceeds <see cref="MaxParameters"/>.</exception>
    public MultiRowInsert(SqliteConnection connection, string table, IReadOnlyList<string> columns, int rowsPerStatement = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerStatement, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowsPerStatement, MaxParameters / Math.Max(1, columns.Count));
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _table = table;
        _columns = columns.Count;
        RowsPerStatement = rowsPerStatement;
        var row = "(" + string.Join(", ", columns.Select(_ => "?")) + ")";
        var sql = $"INSERT OR FAIL INTO {table} ({string.Join(", ", columns)}) SELECT * FROM (VALUES {string.Join(", ", Enumerable.Repeat(row, rowsPerStatement))}) WHERE column1 IS NOT NULL";
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _handle = _statement.DangerousGetHandle(); // _statement lives (and is finalized) with this object
    }

    /// <summary>Sets column <paramref name="index"/> (0-based) of the current row to an integer, or NULL when null.</summary>
    public void Set(int index, long? value)
    {
        if (value is long v) SqliteNative.Bind(_handle, _offset + index + 1, v);
        else SqliteNative.Null(_handle, _offset + index + 1);
    }

    /// <summary>Sets column <paramref name="index"/> of the current row to a REAL, or NULL.</summary>
    public void Set(int index, double? value)
    {
        if (value is double v) SqliteNative.Bind(_handle, _offset + index + 1, v);
        else SqliteNative.Null(_handle, _offset + index + 1);
    }

    /// <summary>Sets column <paramref name="index"/> of the current row to a text (SQLite copies it), or NULL. A short
    /// text is encoded on the stack (the labels and types of segmentation rows: no allocation per row).</summary>
    public void Set(int index, string? value)
    {
        if (value is null)
        {
            SqliteNative.Null(_handle, _offset + index + 1);
            return;
        }
        const int onStack = 256;
        if (value.Length > onStack / 3)
        {
            SqliteNative.Text(_handle, _offset + index + 1, System.Text.Encoding.UTF8.GetBytes(value));
            return;
        }
        Span<byte> utf8 = stackalloc byte[onStack]; // at most 3 bytes per UTF-16 unit
        SqliteNative.Text(_handle, _offset + index + 1, utf8[..System.Text.Encoding.UTF8.GetBytes(value, utf8)]);
    }

    /// <summary>Sets column <paramref name="index"/> of the current row to UTF-8 text given as bytes.</summary>
    public void SetUtf8(int index, ReadOnlySpan<byte> utf8) => SqliteNative.Text(_handle, _offset + index + 1, utf8);

    /// <summary>
    /// Sets column <paramref name="index"/> of the current row to UTF-8 text that SQLite reads in place, without a copy:
    /// the bytes must be pinned (<see cref="SqliteNative.PinnedBytes"/>) and outlive this insert, not only the batch's
    /// step: SQLite keeps the binding until the slot is bound again, and a partial last batch leaves earlier bindings in
    /// its unused rows.
    /// </summary>
    public void SetPinnedUtf8(int index, ReadOnlySpan<byte> pinnedUtf8) => SqliteNative.PinnedText(_handle, _offset + index + 1, pinnedUtf8);

    /// <summary>Sets column <paramref name="index"/> of the current row to NULL.</summary>
    public void SetNull(int index) => SqliteNative.Null(_handle, _offset + index + 1);

    /// <summary>Ends the current row; writes the batch once it is full.</summary>
    /// <exception cref="SqliteException">SQLite refused a row of the batch (constraint, disk full, I/O error); the rows of the batch before it are written.</exception>
    public void Run()
    {
        _row++;
        _offset += _columns;
        if (_row == RowsPerStatement) Step();
    }

    /// <summary>Writes the rows of the partial last batch.</summary>
    /// <exception cref="SqliteException">SQLite refused a row.</exception>
    public void Flush()
    {
        if (_row == 0) return;
        for (var r = _row; r < RowsPerStatement; r++) SqliteNative.Null(_handle, r * _columns + 1);
        Step();
    }

    private void Step()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        _row = 0;
        _offset = 0;
        if (rc != raw.SQLITE_DONE) Check(rc);
    }

    /// <inheritdoc />
    /// <remarks>Does not write the partial batch: call <see cref="Flush"/> first (a dispose after an error must not write).</remarks>
    public void Dispose() => _statement.Dispose();

    private void Check(int rc) => SqliteNative.Check(_db, rc, $"insert into {_table}");
}
