using System.Text;
using Dapper;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

/// <summary>
/// <see cref="MultiRowInsert"/> on a plain SQLite table: full batches are written when they fill, <c>Flush</c> writes
/// the partial last batch (its unused rows are skipped by <c>WHERE column1 IS NOT NULL</c>), NULLs, integers and UTF-8
/// text arrive exactly, a refused row names the table, and <c>Dispose</c> without <c>Flush</c> does not write the
/// partial batch (the documented contract: a dispose after an error must not write).
/// </summary>
public sealed class MultiRowInsertTests
{
    private const string Table = "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT)";
    private static readonly string[] Columns = ["id", "n", "s"];

    private static SqliteConnection Open(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        return c;
    }

    private static List<string> Rows(string path)
    {
        using var c = Open(path);
        return c.Query<string>("SELECT printf('%d|%s|%s', id, quote(n), quote(s)) FROM t ORDER BY id").ToList();
    }

    /// <summary>Row i of the 10-row test: NULLs through both setters, integers (negative, large) and multi-byte UTF-8.</summary>
    private static void SetRow(MultiRowInsert insert, int i, List<byte[]>? pinned = null)
    {
        insert.Set(0, 100L + i);
        switch (i % 3)
        {
            case 0: insert.SetNull(1); break;
            case 1: insert.Set(1, (long?)null); break;
            default: insert.Set(1, i * 1_000_000_000_000L - 7); break;
        }
        if (i % 4 == 3) insert.SetNull(2);
        else if (pinned is null) insert.SetUtf8(2, Encoding.UTF8.GetBytes(i == 6 ? "" : $"gemm_{i} é→µ"));
        else
        {
            pinned.Add(SqliteNative.PinnedBytes(Encoding.UTF8.GetBytes(i == 6 ? "" : $"gemm_{i} é→µ"))); // kept alive until the step
            insert.SetPinnedUtf8(2, pinned[^1]);
        }
    }

    [Fact]
    public void Rows_per_statement_is_refused_below_one_and_above_the_parameter_limit_before_anything_is_prepared()
    {
        using var dir = new TempDir();
        using var c = Open(dir.File("t.db"));
        c.Execute(Table);
        // 3 columns: 32,766 / 3 = 10,922 rows is the most one statement can carry.
        using (var largest = new MultiRowInsert(c, "t", Columns, 10_922)) Assert.Equal(10_922, largest.RowsPerStatement);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => new MultiRowInsert(c, "t", Columns, 10_923));
        Assert.Equal("rowsPerStatement", tooMany.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiRowInsert(c, "t", Columns, 0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // texts read in place from pinned arrays (SQLITE_STATIC)
    public void Ten_rows_four_per_statement_are_written_by_two_full_batches_and_the_flushed_partial_batch(bool pinned)
    {
        using var dir = new TempDir();
        var db = dir.File("m.db");
        using (var c = Open(db))
        {
            c.Execute(Table);
            using var tx = c.BeginTransaction();
            var kept = new List<byte[]>();
            using (var insert = new MultiRowInsert(c, "t", Columns, rowsPerStatement: 4))
            {
                Assert.Equal(4, insert.RowsPerStatement);
                for (var i = 0; i < 10; i++)
                {
                    SetRow(insert, i, pinned ? kept : null);
                    insert.Run();
                    if (pinned) GC.Collect(); // the pinned texts stay where SQLite reads them until the batch's step
                    // The first batch reaches the table at the 4th Run, the second at the 8th; rows 8 and 9 wait for Flush.
                    var expected = i < 3 ? 0 : i < 7 ? 4 : 8;
                    Assert.Equal(expected, c.ExecuteScalar<long>("SELECT count(*) FROM t", transaction: tx));
                }
                insert.Flush();
                Assert.Equal(10, c.ExecuteScalar<long>("SELECT count(*) FROM t", transaction: tx));
                insert.Flush(); // nothing pending: writes nothing more
            }
            tx.Commit();
        }
        Assert.Equal(
        [
            "100|NULL|'gemm_0 é→µ'",
            "101|NULL|'gemm_1 é→µ'",
            "102|1999999999993|'gemm_2 é→µ'",
            "103|NULL|NULL",
            "104|NULL|'gemm_4 é→µ'",
            "105|4999999999993|'gemm_5 é→µ'",
            "106|NULL|''",
            "107|NULL|NULL",
            "108|7999999999993|'gemm_8 é→µ'",
            "109|NULL|'gemm_9 é→µ'",
        ], Rows(db));
    }

    [Fact]
    public void A_duplicate_primary_key_inside_a_batch_throws_naming_the_table_and_stops_the_batch_there()
    {
        using var dir = new TempDir();
        var db = dir.File("m.db");
        using var c = Open(db);
        c.Execute(Table);
        using var tx = c.BeginTransaction();
        using var insert = new MultiRowInsert(c, "t", Columns, rowsPerStatement: 4);
        foreach (var id in new long[] { 1, 2, 3, 4 })
        {
            insert.Set(0, id);
            insert.Set(1, id * 10);
            insert.SetUtf8(2, "ok"u8);
            insert.Run();
        }
        foreach (var id in new long[] { 5, 6, 5 })
        {
            insert.Set(0, id);
            insert.Set(1, id * 10);
            insert.SetUtf8(2, "dup"u8);
            insert.Run();
        }
        insert.Set(0, 7L);
        insert.Set(1, 70L);
        insert.SetUtf8(2, "dup"u8);
        var ex = Assert.Throws<SqliteException>(insert.Run); // the 4th row of the second batch steps the statement
        Assert.Contains("insert into t:", ex.Message);
        Assert.Contains("UNIQUE constraint failed: t.id", ex.Message);
        Assert.Equal(19, ex.SqliteErrorCode); // SQLITE_CONSTRAINT
        // OR FAIL: the statement stops at the refused row and keeps the rows of its batch before it (no statement
        // journal); the caller rolls the transaction back. The first batch stays in the open transaction.
        Assert.Equal(["1|10", "2|20", "3|30", "4|40", "5|50", "6|60"],
            c.Query<string>("SELECT id || '|' || n FROM t ORDER BY id", transaction: tx).ToList());
    }

    [Fact]
    public void A_duplicate_primary_key_in_the_partial_batch_throws_at_Flush()
    {
        using var dir = new TempDir();
        using var c = Open(dir.File("m.db"));
        c.Execute("CREATE TABLE kernels_x (kernel_idx INTEGER PRIMARY KEY, dur_ns INTEGER)");
        using var tx = c.BeginTransaction();
        using var insert = new MultiRowInsert(c, "kernels_x", ["kernel_idx", "dur_ns"], rowsPerStatement: 8);
        foreach (var idx in new long[] { 0, 1, 0 })
        {
            insert.Set(0, idx);
            insert.Set(1, 5L);
            insert.Run();
        }
        var ex = Assert.Throws<SqliteException>(insert.Flush);
        Assert.Contains("insert into kernels_x:", ex.Message);
        Assert.Contains("UNIQUE constraint failed: kernels_x.kernel_idx", ex.Message);
        Assert.Equal(2, c.ExecuteScalar<long>("SELECT count(*) FROM kernels_x", transaction: tx)); // OR FAIL: rows 0 and 1 stay
        tx.Rollback(); // what every caller does after an error
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM kernels_x"));
    }

    [Fact]
    public void Dispose_without_Flush_writes_the_full_batches_but_not_the_partial_batch()
    {
        using var dir = new TempDir();
        var db = dir.File("m.db");
        using (var c = Open(db))
        {
            c.Execute(Table);
            using var tx = c.BeginTransaction();
            using (var insert = new MultiRowInsert(c, "t", Columns, rowsPerStatement: 4))
            {
                for (var i = 0; i < 6; i++)
                {
                    SetRow(insert, i);
                    insert.Run();
                }
            } // contract: Dispose does not flush (after an error, nothing more must be written)
            tx.Commit();
        }
        Assert.Equal(["100", "101", "102", "103"], Rows(db).Select(r => r.Split('|')[0]).ToList());
    }

    [Fact]
    public void An_unknown_column_fails_when_the_statement_is_prepared_naming_the_table()
    {
        using var dir = new TempDir();
        using var c = Open(dir.File("m.db"));
        c.Execute(Table);
        var ex = Assert.Throws<SqliteException>(() => new MultiRowInsert(c, "t", ["id", "no_such_column"]));
        Assert.Contains("insert into t:", ex.Message);
        Assert.Contains("no_such_column", ex.Message);
    }
}
