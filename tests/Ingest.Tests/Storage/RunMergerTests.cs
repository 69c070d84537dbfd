using Dapper;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

/// <summary>
/// <see cref="RunMerger"/>'s steps: staged rows copied under the new run id, and a merge that ends without a commit
/// (segmentation failed on the worker thread after the copy) stores nothing and leaves the connection as it was
/// (staging files detached, foreign-key enforcement back on).
/// </summary>
public sealed class RunMergerTests
{
    private static StagingDatabase StagedLaunch(TempDir dir, long correlation)
    {
        var staging = new StagingDatabase(dir.Path);
        using (var insert = staging.Insert("launches", "run_id", "correlation", "name", "ts_ns"))
        {
            insert.Set(0, 0L);
            insert.Set(1, correlation);
            insert.Set(2, "cudaLaunchKernel");
            insert.Set(3, 1_000L);
            insert.Run();
        }
        staging.Commit();
        return staging;
    }

    [Fact]
    public void A_merge_disposed_after_the_copy_without_a_commit_stores_nothing_and_restores_the_connection()
    {
        using var dir = new TempDir();
        using var main = LlmDatabase.OpenForWrite(dir.File("t.db"));
        using var staging = StagedLaunch(dir, 7);
        var copied = -1L;

        void MergeThenFail()
        {
            using var merger = RunMerger.Begin(main, [staging.Path]);
            merger.CopyStaged(0, 0, merger.NextRunId(), StagingDatabase.StagedTables);
            copied = main.ExecuteScalar<long>("SELECT count(*) FROM main.launches WHERE run_id = 1", transaction: merger.Transaction);
            throw new InvalidOperationException("segmentation failed");
        }
        var ex = Assert.Throws<InvalidOperationException>(MergeThenFail);

        Assert.Equal("segmentation failed", ex.Message);
        Assert.Equal(1L, copied);
        Assert.Equal(0L, main.ExecuteScalar<long>("SELECT count(*) FROM launches"));
        Assert.Equal(0L, main.ExecuteScalar<long>("SELECT count(*) FROM runs"));
        Assert.Equal(["main"], main.Query<string>("SELECT name FROM pragma_database_list WHERE name <> 'temp'").ToList());
        Assert.Equal(1L, main.ExecuteScalar<long>("PRAGMA foreign_keys"));
    }

    [Fact]
    public void Next_run_id_counts_runs_inserted_in_the_transaction_and_staged_rows_keep_their_columns()
    {
        using var dir = new TempDir();
        using var main = LlmDatabase.OpenForWrite(dir.File("t.db"));
        using var first = StagedLaunch(dir, 7);
        using var second = StagedLaunch(dir, 9);
        using (var merger = RunMerger.Begin(main, [first.Path, second.Path]))
        {
            Assert.Equal(1L, merger.NextRunId());
            merger.CopyStaged(0, 0, 1, StagingDatabase.StagedTables);
            merger.InsertRun(1, Run("a"));
            Assert.Equal(2L, merger.NextRunId());
            merger.CopyStaged(1, 0, 2, StagingDatabase.StagedTables);
            merger.InsertRun(2, Run("b"));
            Assert.Equal(1L, merger.FindExisting("sha-a", "key"));
            merger.Commit();
        }
        Assert.Equal(["1|7|cudaLaunchKernel|1000", "2|9|cudaLaunchKernel|1000"],
            main.Query<string>("SELECT run_id || '|' || correlation || '|' || name || '|' || ts_ns FROM launches ORDER BY run_id").ToList());
        Assert.Equal(["main"], main.Query<string>("SELECT name FROM pragma_database_list WHERE name <> 'temp'").ToList());
    }

    [Fact]
    public void Begin_refuses_more_staging_files_than_SQLite_attaches()
    {
        using var dir = new TempDir();
        using var main = LlmDatabase.OpenForWrite(dir.File("t.db"));
        var paths = Enumerable.Range(0, RunMerger.MaxAttachedStagings + 1).Select(i => dir.File($"s{i}.db")).ToList();
        Assert.Throws<ArgumentException>(() => RunMerger.Begin(main, paths));
        Assert.Equal(1L, main.ExecuteScalar<long>("PRAGMA foreign_keys"));
    }

    private static RunRecord Run(string name) => new()
    {
        SourcePath = $"/traces/{name}.json",
        SourceSha256 = $"sha-{name}",
        IngestedAt = "2026-01-01T00:00:00.000Z",
        Profile = "generic",
        OptionsKey = "key",
    };
}
