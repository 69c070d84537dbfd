using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

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
