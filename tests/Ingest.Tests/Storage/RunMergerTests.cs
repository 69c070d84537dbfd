using Dapper;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

/// <summary>
/// <see cref="RunMerger.MergeAll"/> when the runs rows cannot be built (segmentation failed on the worker thread): the
/// error is the caller's own, nothing of the run is stored although its staged rows were already copied, and the
/// connection is left as it was (staging files detached, foreign-key enforcement back on).
/// </summary>
public sealed class RunMergerTests
{
    [Fact]
    public void An_error_from_the_runs_callback_after_the_copy_stores_nothing_and_restores_the_connection()
    {
        using var dir = new TempDir();
        using var main = LlmDatabase.OpenForWrite(dir.File("t.db"));
        using var staging = new StagingDatabase(dir.Path);
        using (var insert = staging.Insert("launches", "run_id", "correlation", "name", "ts_ns"))
        {
            insert.Set(0, 0L);
            insert.Set(1, 7L);
            insert.Set(2, "cudaLaunchKernel");
            insert.Set(3, 1_000L);
            insert.Run();
        }
        staging.Commit();
        var copied = -1L;

        var ex = Assert.Throws<InvalidOperationException>(() => RunMerger.MergeAll(main, [staging], "sha", "key", force: false,
            runs: () =>
            {
                copied = main.ExecuteScalar<long>("SELECT count(*) FROM main.launches"); // inside the transaction
                throw new InvalidOperationException("segmentation failed");
            },
            writeRun: (_, _, _, _) => throw new InvalidOperationException("not reached")));

        Assert.Equal("segmentation failed", ex.Message);
        Assert.Equal(1L, copied);
        Assert.Equal(0L, main.ExecuteScalar<long>("SELECT count(*) FROM launches"));
        Assert.Equal(0L, main.ExecuteScalar<long>("SELECT count(*) FROM runs"));
        Assert.Equal(["main"], main.Query<string>("SELECT name FROM pragma_database_list WHERE name <> 'temp'").ToList());
        Assert.Equal(1L, main.ExecuteScalar<long>("PRAGMA foreign_keys"));
    }
}
