using Dapper;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

/// <summary>The staging database's background writer: same rows as direct binds, errors surface on the caller's thread.</summary>
public sealed class InsertQueueTests
{
    private static List<string> WriteRows(string dir, bool backgroundWriter)
    {
        using var staging = new StagingDatabase(dir, backgroundWriter);
        using (var insert = staging.Insert("memory_ops", "run_id", "device", "stream", "ts_ns", "dur_ns", "kind", "name", "bytes"))
        {
            insert.Set(0, 0L);
            for (var i = 0; i < 20_000; i++) // several op logs: 20 000 rows × ~60 bytes > one 256 KiB log
            {
                insert.Set(1, i % 3 == 0 ? null : i % 8);
                insert.Set(2, 7L);
                insert.Set(3, 1_000_000L + i);
                insert.Set(4, (long)(i % 5));
                insert.Set(5, i % 2 == 0 ? "memcpy" : "memset");
                if (i % 4 == 0) insert.Set(6, (string?)null); else insert.SetUtf8(6, System.Text.Encoding.UTF8.GetBytes($"Memcpy HtoD #{i} é"));
                insert.Set(7, i % 7 == 0 ? null : i * 1024L); // a value not set again keeps the previous row's: run_id, stream
                insert.Run();
            }
        }
        return staging.Connection.Query<string>(
            "SELECT printf('%d|%s|%d|%d|%d|%s|%s|%s', run_id, quote(device), stream, ts_ns, dur_ns, kind, quote(name), quote(bytes)) FROM memory_ops ORDER BY rowid",
            transaction: staging.Transaction).ToList();
    }

    [Fact]
    public void Rows_written_by_the_background_writer_equal_rows_bound_directly()
    {
        using var dir = new TempDir();
        var queued = WriteRows(dir.Path, backgroundWriter: true);
        var direct = WriteRows(dir.Path, backgroundWriter: false);
        Assert.Equal(20_000, queued.Count);
        Assert.Equal(direct, queued);
        Assert.Equal("0|NULL|7|1000000|0|memcpy|NULL|NULL", queued[0]);
        Assert.Equal("0|1|7|1000001|1|memset|'Memcpy HtoD #1 é'|1024", queued[1]);
    }

    [Fact]
    public void A_text_set_once_keeps_its_value_after_its_op_log_is_reused()
    {
        // kind is set on the first row only; each row's 2 kB name fills and hands op logs, which the writer binds in
        // place and then reuses: the kind of every row must still read "memcpy", as with direct binds.
        List<string> Write(string dir, bool backgroundWriter)
        {
            using var staging = new StagingDatabase(dir, backgroundWriter);
            using (var insert = staging.Insert("memory_ops", "run_id", "ts_ns", "dur_ns", "kind", "name"))
            {
                insert.Set(0, 0L);
                insert.Set(3, "memcpy");
                for (var i = 0; i < 2_000; i++)
                {
                    insert.Set(1, (long)i);
                    insert.Set(2, 1L);
                    insert.Set(4, new string((char)('a' + i % 26), 2048));
                    insert.Run();
                }
            }
            return staging.Connection.Query<string>("SELECT kind || '|' || substr(name, 1, 3) FROM memory_ops ORDER BY rowid",
                transaction: staging.Transaction).ToList();
        }
        using var dir = new TempDir();
        var queued = Write(dir.Path, backgroundWriter: true);
        Assert.Equal(2_000, queued.Count);
        Assert.All(queued, row => Assert.StartsWith("memcpy|", row));
        Assert.Equal("memcpy|nnn", queued[1_001]); // 1001 % 26 = 13
        Assert.Equal(Write(dir.Path, backgroundWriter: false), queued);
    }

    [Fact]
    public void A_row_refused_on_the_writer_thread_surfaces_when_the_connection_is_used_next()
    {
        using var dir = new TempDir();
        using var staging = new StagingDatabase(dir.Path);
        var insert = staging.Insert("memory_ops", "run_id", "ts_ns", "dur_ns", "kind");
        insert.Set(0, 0L);
        insert.Set(1, 5L);
        insert.Set(2, 1L);
        insert.Set(3, (string?)null); // kind is NOT NULL
        insert.Run();
        var ex = Assert.Throws<SqliteException>(() => staging.Connection);
        Assert.Contains("insert into memory_ops", ex.Message);
        Assert.Contains("NOT NULL", ex.Message);
        Assert.Throws<SqliteException>(insert.Dispose);
    }
}
