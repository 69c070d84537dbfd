using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// SQLite's bind and step calls on a raw statement pointer, into the same native library that SQLitePCLRaw's
/// <c>e_sqlite3</c> provider loads (the one Microsoft.Data.Sqlite runs on). SQLitePCLRaw passes the statement as a
/// SafeHandle, which costs a reference count round trip per call; the kernel rows of a large trace need tens of millions
/// of binds, so <see cref="MultiRowInsert"/> binds through these instead. The binds are short and never block, so they
/// skip the GC transition; step does not. See https://sqlite.org/c3ref/bind_blob.html.
/// </summary>
internal static unsafe partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_TRANSIENT: SQLite copies the bytes before the bind call returns.</summary>
    private static readonly IntPtr Transient = new(-1);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial int BindNull(IntPtr statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl), typeof(CallConvSuppressGCTransition)])]
    private static partial int BindText(IntPtr statement, int index, byte* text, int bytes, IntPtr destructor);

    /// <summary>Binds an integer to parameter <paramref name="index"/> (1-based); returns SQLite's result code.</summary>
    public static int Bind(IntPtr statement, int index, long value) => BindInt64(statement, index, value);

    /// <summary>Binds NULL to parameter <paramref name="index"/> (1-based).</summary>
    public static int Null(IntPtr statement, int index) => BindNull(statement, index);

    /// <summary>Binds UTF-8 text (copied by SQLite) to parameter <paramref name="index"/> (1-based).</summary>
    public static int Text(IntPtr statement, int index, ReadOnlySpan<byte> utf8)
    {
        fixed (byte* p = utf8)
            // A non-null pointer even for an empty text: a NULL pointer would bind SQL NULL.
            return BindText(statement, index, p == null ? (byte*)Unsafe.AsPointer(ref Unsafe.AsRef(in Empty)) : p, utf8.Length, Transient);
    }

    private static readonly byte Empty = 0;
}
