using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

/// <summary>
/// <see cref="LlmDatabase.OpenOneThreadReader"/> and <see cref="SqliteNative.Int64"/>: a raw read-only handle reads
/// what a Microsoft.Data.Sqlite connection wrote, a 0 stays 0 and a NULL reads as null (the value is read first, the
/// type only for a 0), and a file SQLite cannot open fails with SQLite's message and the path.
/// </summary>
public sealed class OneThreadReaderTests
{
    [Fact]
    public void Reads_integers_zero_and_null_apart()
    {
        using var dir = new TempDir();
        var path = dir.File("t.db");
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            c.Open();
            using var create = c.CreateCommand();
            create.CommandText = "CREATE TABLE t (i INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 0), (2, NULL), (3, -7), (4, 9007199254740993)";
            create.ExecuteNonQuery();
        }
        using var db = LlmDatabase.OpenOneThreadReader(path);
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_prepare_v2(db, "SELECT v, i FROM t ORDER BY i", out var statement));
        using (statement)
        {
            var h = statement.DangerousGetHandle();
            var read = new List<(long? V, long I)>();
            while (SqliteNative.Next(h) == SqliteNative.Row) read.Add((SqliteNative.Int64(h, 0), SqliteNative.NotNullInt64(h, 1)));
            Assert.Equal(new (long?, long)[] { (0, 1), (null, 2), (-7, 3), (9007199254740993, 4) }, read);
        }
        Assert.Equal(raw.SQLITE_READONLY, raw.sqlite3_exec(db, "DELETE FROM t"));
    }

    [Fact]
    public void A_file_sqlite_cannot_open_names_the_path()
    {
        using var dir = new TempDir();
        var path = dir.File("missing/t.db");
        var ex = Assert.Throws<SqliteException>(() => LlmDatabase.OpenOneThreadReader(path));
        Assert.Contains(path, ex.Message);
        Assert.Equal(raw.SQLITE_CANTOPEN, ex.SqliteErrorCode);
    }
}
