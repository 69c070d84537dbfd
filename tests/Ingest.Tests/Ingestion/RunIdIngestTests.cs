using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Tests.Robustness;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>
/// Ingest gives a run its id before it inserts the <c>runs</c> row (the staged rows are copied under that id while the
/// kernels are segmented on another thread): the ids must still be those <c>AUTOINCREMENT</c> gives, one past the
/// largest ever given, so the id of a removed run is never reused, and every table's rows carry the run's id.
/// </summary>
public sealed class RunIdIngestTests
{
    private static string Trace(string kernelTs) => Ingested.Trace(
        Ingested.CpuOp("aten::mm", "1000", "5", 5001),
        Ingested.Launch(1, "1001"),
        Ingested.Kernel("gemm_a", kernelTs, "2", 1));

    [Fact]
    public void The_id_of_a_removed_last_run_is_not_reused_and_the_staged_rows_carry_the_new_id()
    {
        using var dir = new TempDir();
        var a = dir.File("a.json");
        var b = dir.File("b.json");
        var c = dir.File("c.json");
        File.WriteAllText(a, Trace("1003"));
        File.WriteAllText(b, Trace("1004"));
        File.WriteAllText(c, Trace("1005"));
        Assert.Equal(1L, Ingesting.Run(dir, a).RunId);
        Assert.Equal(2L, Ingesting.Run(dir, b).RunId);
        using (var main = LlmDatabase.OpenForWrite(dir.File("t.db")))
            Assert.NotNull(RunEditor.Remove(main, 2));

        var third = Ingesting.Run(dir, c);
        Assert.False(third.AlreadyPresent);
        Assert.Equal(3L, third.RunId);
        Assert.Equal([1L, 3L], Ingesting.Longs(dir, "SELECT run_id FROM runs ORDER BY run_id"));
        Assert.Equal([1L, 3L], Ingesting.Longs(dir, "SELECT run_id FROM launches ORDER BY run_id"));
        Assert.Equal([1L, 3L], Ingesting.Longs(dir, "SELECT run_id FROM kernels ORDER BY run_id"));
        Assert.Equal(1_005_000L, Ingesting.Scalar<long>(dir, "SELECT ts_ns FROM kernels WHERE run_id = 3"));
    }
}
