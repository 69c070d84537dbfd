using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// SQLite's bind, step and column calls on a raw statement pointer, into the same native library that SQLitePCLRaw's
/// <c>e_sqlite3</c> provider loads (the one Microsoft.Data.Sqlite runs on). SQLitePCLRaw passes the statement as a
/// SafeHandle, which costs a reference count round trip per call; the kernel rows of a large trace need tens of millions
/// of binds and column reads, so <see cref="MultiRowInsert"/> and the External id join go through these instead. Binds
/// and column reads are short and never block, so they skip the GC transition; step does not.
/// See https://sqlite.org/c3ref/bind_blob.html and https://sqlite.org/c3ref/column_blob.html.
/// </summary>
internal static unsafe partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_TRANSIENT: SQLite copies the bytes before the bind call returns.</summary>
    private static readonly IntPtr Transient = new(-1);

    /// <summary>SQLITE_STATIC: SQLite reads the bytes in place for as long as the binding lasts.</summary>
    private static readonly IntPtr Static = IntPtr.Zero;

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_double")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial int BindDouble(IntPtr statement, int index, double value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial int BindNull(IntPtr statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial int BindText(IntPtr statement, int index, byte* text, int bytes, IntPtr destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int Step(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial long ColumnInt64(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial int ColumnType(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial byte* ColumnText(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial int ColumnBytes(IntPtr statement, int column);

    /// <summary>SQLite's result code for "a row is ready" (https://sqlite.org/rescode.html).</summary>
    public const int Row = 100;

    /// <summary>SQLite's result code for "the statement has finished".</summary>
    public const int Done = 101;

    private const int NullType = 5;

    /// <summary>Throws for a result code other than OK, ROW and DONE, with SQLite's message after <paramref name="context"/>.</summary>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The code is an error.</exception>
    public static void Check(SQLitePCL.sqlite3 db, int rc, string context)
    {
        if (rc is SQLitePCL.raw.SQLITE_OK or SQLitePCL.raw.SQLITE_DONE or SQLitePCL.raw.SQLITE_ROW) return;
        throw new Microsoft.Data.Sqlite.SqliteException($"{context}: {SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string()}", rc, SQLitePCL.raw.sqlite3_extended_errcode(db));
    }

    /// <summary>Steps a statement: <see cref="Row"/>, <see cref="Done"/> or an error code.</summary>
    public static int Next(IntPtr statement) => Step(statement);

    /// <summary>Column <paramref name="column"/> (0-based) of the current row as an integer, or null when NULL.</summary>
    /// <remarks>One call for any value but 0 (a NULL reads as 0, so only a 0 asks for the column's type): each column
    /// call takes the connection's mutex, and a bulk read makes millions of them.</remarks>
    public static long? Int64(IntPtr statement, int column)
    {
        var value = ColumnInt64(statement, column);
        return value == 0 && ColumnType(statement, column) == NullType ? null : value;
    }

    /// <summary>Column <paramref name="column"/> (0-based) of the current row as an integer, for a <c>NOT NULL</c> column
    /// (one call; a NULL would read as 0).</summary>
    public static long NotNullInt64(IntPtr statement, int column) => ColumnInt64(statement, column);

    /// <summary>
    /// Whether column <paramref name="column"/> (0-based) of the current row is the UTF-8 text <paramref name="utf8"/>, or
    /// NULL when <paramref name="utf8"/> is null: compared in place, without a managed string
    /// (https://sqlite.org/c3ref/column_blob.html: text first, then its byte count).
    /// </summary>
    public static bool IsText(IntPtr statement, int column, byte[]? utf8)
    {
        if (ColumnType(statement, column) == NullType) return utf8 is null;
        if (utf8 is null) return false;
        var text = ColumnText(statement, column);
        return new ReadOnlySpan<byte>(text, ColumnBytes(statement, column)).SequenceEqual(utf8);
    }

    /// <summary>Binds an integer to parameter <paramref name="index"/> (1-based); returns SQLite's result code.</summary>
    public static int Bind(IntPtr statement, int index, long value) => BindInt64(statement, index, value);

    /// <summary>Binds a real number to parameter <paramref name="index"/> (1-based).</summary>
    public static int Bind(IntPtr statement, int index, double value) => BindDouble(statement, index, value);

    /// <summary>Binds NULL to parameter <paramref name="index"/> (1-based).</summary>
    public static int Null(IntPtr statement, int index) => BindNull(statement, index);

    /// <summary>Binds UTF-8 text (copied by SQLite) to parameter <paramref name="index"/> (1-based).</summary>
    public static int Text(IntPtr statement, int index, ReadOnlySpan<byte> utf8) => BindUtf8(statement, index, utf8, Transient);

    /// <summary>
    /// Binds UTF-8 text that SQLite reads in place (SQLITE_STATIC: no copy, no allocation) to parameter
    /// <paramref name="index"/> (1-based). The bytes must lie in memory that never moves (the pinned object heap, see
    /// <see cref="PinnedBytes"/>, or native memory) and stay alive and unchanged for as long as SQLite holds the binding:
    /// until the parameter is bound again or the statement is finalized (https://sqlite.org/c3ref/bind_blob.html), not
    /// merely until the next step.
    /// </summary>
    public static int PinnedText(IntPtr statement, int index, ReadOnlySpan<byte> pinnedUtf8) =>
        BindUtf8(statement, index, pinnedUtf8, Static);

    /// <summary>A copy of <paramref name="bytes"/> on the pinned object heap (never moved by the GC), for <see cref="PinnedText"/>.</summary>
    public static byte[] PinnedBytes(ReadOnlySpan<byte> bytes)
    {
        var copy = GC.AllocateUninitializedArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(copy);
        return copy;
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/> on the pinned object heap, for <see cref="PinnedText"/>.</summary>
    public static byte[] PinnedUtf8(string text) => PinnedBytes(System.Text.Encoding.UTF8.GetBytes(text));

    private static int BindUtf8(IntPtr statement, int index, ReadOnlySpan<byte> utf8, IntPtr destructor)
    {
        fixed (byte* p = utf8)
            // A non-null pointer even for an empty text: a NULL pointer would bind SQL NULL.
            return BindText(statement, index, p == null ? (byte*)Unsafe.AsPointer(ref Unsafe.AsRef(in Empty)) : p, utf8.Length, destructor);
    }

    // The address given for an empty text (length 0: SQLite reads no byte there).
    private static readonly byte Empty = 0;
}
