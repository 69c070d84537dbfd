using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

/// <summary>
/// <see cref="LlmDatabase"/> opening databases of other schema versions: older ones (1, 2) are upgraded in place keeping
/// their rows (version 3 drops the <c>kernels_by_category</c> index), newer ones and files that are not databases are refused.
/// </summary>
public sealed class SchemaUpgradeTests
{
    [Fact]
    public void OpenForWrite_upgrades_a_version_1_database_in_place_keeping_its_rows()
    {
        using var dir = new TempDir();
        var db = dir.File("old.db");
        File.Copy(SharedData.RepoFile("tests/data/fixtures/schema-v1.db"), db);
        using (var c = LlmDatabase.OpenForWrite(db))
        {
            Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(c));
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*), min(time_offset_ns), max(capture_id IS NULL) FROM runs";
            using var r = cmd.ExecuteReader();
            Assert.True(r.Read());
            Assert.Equal(1, r.GetInt64(0));
            Assert.Equal(0, r.GetInt64(1));
            Assert.Equal(1, r.GetInt64(2));
        }
        using var ro = LlmDatabase.OpenReadOnly(db);
        using var q = ro.CreateCommand();
        q.CommandText = "SELECT count(*) FROM kernels";
        Assert.Equal(555L, q.ExecuteScalar());
    }

    /// <summary>An ingested database turned into schema 2: version 2 and its <c>kernels_by_category</c> index.</summary>
    private static string Version2Database(TempDir dir)
    {
        var trace = dir.File("t.json");
        File.WriteAllText(trace, Robustness.Ingested.Trace(
            Robustness.Ingested.Kernel("gemm_a", "1000", "2", 1), Robustness.Ingested.Kernel("gemm_b", "1010", "3", 2)));
        Pipeline.Ingesting.Run(dir, trace);
        var db = dir.File("t.db");
        using var c = LlmDatabase.OpenForWrite(db);
        LlmDatabase.Execute(c, "CREATE INDEX kernels_by_category ON kernels(run_id, category); PRAGMA user_version = 2;");
        Assert.Equal(2, LlmDatabase.UserVersion(c));
        Assert.Equal(1L, IndexCount(c, "kernels_by_category"));
        return db;
    }

    private static long IndexCount(SqliteConnection c, string name)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        return (long)cmd.ExecuteScalar()!;
    }

    private static List<string> KernelRows(SqliteConnection c) =>
        Robustness.Ingested.Rows(c, "SELECT run_id, kernel_idx, correlation, ts_ns, dur_ns FROM kernels ORDER BY kernel_idx");

    [Fact]
    public void OpenForWrite_upgrades_a_version_2_database_dropping_kernels_by_category_and_keeping_its_rows()
    {
        using var dir = new TempDir();
        var db = Version2Database(dir);
        using (var c = LlmDatabase.OpenForWrite(db))
        {
            Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(c));
            Assert.Equal(3, LlmDatabase.SchemaVersion);
            Assert.Equal(0L, IndexCount(c, "kernels_by_category"));
            Assert.Equal(1L, IndexCount(c, "kernels_by_layer")); // the schema's own indexes stay
            Assert.Equal(["1|0|1|1000000|2000", "1|1|2|1010000|3000"], KernelRows(c));
            Assert.Equal(["1|2"], Robustness.Ingested.Rows(c, "SELECT run_id, kernel_count FROM runs"));
        }
        using var again = LlmDatabase.OpenForWrite(db); // already at 3: nothing more to do
        Assert.Equal(3, LlmDatabase.UserVersion(again));
        Assert.Equal(0L, IndexCount(again, "kernels_by_category"));
    }

    [Fact]
    public void OpenReadOnly_of_a_version_2_database_upgrades_it_first()
    {
        using var dir = new TempDir();
        var db = Version2Database(dir);
        using var c = LlmDatabase.OpenReadOnly(db);
        Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(c));
        Assert.Equal(0L, IndexCount(c, "kernels_by_category"));
        Assert.Equal(["1|0|1|1000000|2000", "1|1|2|1010000|3000"], KernelRows(c));
    }

    [Fact]
    public void OpenReadOnly_refuses_a_database_from_a_newer_version()
    {
        using var dir = new TempDir();
        var db = dir.File("new.db");
        using (var c = LlmDatabase.OpenForWrite(db))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"PRAGMA user_version = {LlmDatabase.SchemaVersion + 1}";
            cmd.ExecuteNonQuery();
        }
        var ex = Assert.Throws<DatabaseException>(() => LlmDatabase.OpenReadOnly(db));
        Assert.Contains("newer LlmPipeline", ex.Message);
        Assert.Throws<DatabaseException>(() => LlmDatabase.OpenForWrite(db));
    }

    [Fact]
    public void OpenForWrite_refuses_a_file_that_is_not_a_database()
    {
        using var dir = new TempDir();
        var path = dir.File("text.db");
        File.WriteAllText(path, "this is a text file, long enough to not look like an empty database at all............");
        var ex = Assert.Throws<DatabaseException>(() => LlmDatabase.OpenForWrite(path));
        Assert.Contains("not a SQLite database", ex.Message);
        SqliteConnection.ClearAllPools();
    }
}
