using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Tests.Robustness;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Ingest.Tests.FieldProblems;

/// <summary>
/// The low-kernel-coverage note of <c>pass_timeline</c> names the cause the trace supports: untraced graph work when
/// the trace has graph launches (pytorch/kineto#1062), a CPU-bound eager run when it has none.
/// </summary>
public sealed class CoverageNoteIngestTests
{
    /// <summary>The baseline with 30 µs instead of 2 µs between kernels (8 µs each), passes 3 ms apart: coverage 320 / 1490 = 0.21 per pass.</summary>
    private static Ingested IngestSparse(FieldTrace t) => StreamAndLaunchIngestTests.Ingest(t with { KernelShiftUs = k => 28.0 * (k % FieldTrace.KernelsPerPass), PassSpacingUs = 3000 });

    [Fact]
    public void Eager_run_without_graph_launches_is_called_CPU_bound_with_its_idle_share()
    {
        using var x = IngestSparse(new FieldTrace());
        Assert.Equal(0L, x.Scalar<long>("SELECT graph_launch_count FROM runs"));
        // 40 kernels of 8 µs, 38 µs apart: busy 320 µs of a 39 × 38 + 8 = 1490 µs wall.
        Assert.Equal(["0|40|1490|320", "1|40|1490|320", "2|40|1490|320"], x.Rows("SELECT pass_idx, kernel_count, wall_us, busy_us FROM passes"));
        Assert.Equal(
        [
            "0|0.21|low kernel coverage (0.21): the GPU idles 79% of the pass between eager kernel launches (no graph launch in the trace): CPU-bound, the host launches too slowly",
        ], x.Rows("SELECT pass_idx, round(kernel_coverage_ratio, 2), coverage_note FROM pass_timeline WHERE pass_idx = 0"));
    }

    [Fact]
    public void A_trace_with_graph_launches_keeps_the_missing_graph_work_note()
    {
        using var x = IngestSparse(new FieldTrace { LaunchName = i => i % 40 == 0 ? "cudaGraphLaunch" : "cudaLaunchKernel" });
        Assert.Equal(3L, x.Scalar<long>("SELECT graph_launch_count FROM runs"));
        Assert.Equal("low kernel coverage (0.21): GPU work may be missing (graph while-node, kineto #1062)",
            x.Scalar<string>("SELECT coverage_note FROM pass_timeline WHERE pass_idx = 0"));
    }

    [Fact]
    public void B50_a_GPU_only_trace_cannot_tell_and_names_both_causes()
    {
        using var x = IngestSparse(new FieldTrace { CpuSide = false });
        Assert.True(x.IsNull("SELECT graph_launch_count FROM runs"));
        Assert.Equal("low kernel coverage (0.21): the GPU idles 79% of the pass: between eager launches (CPU-bound), or GPU work was not traced (graph while-node, kineto #1062)",
            x.Scalar<string>("SELECT coverage_note FROM pass_timeline WHERE pass_idx = 0"));
    }

    [Fact]
    public void An_older_database_gets_graph_launch_count_NULL_and_its_runs_the_note_that_names_both_causes()
    {
        using var dir = new TempDir();
        var db = dir.File("old.db");
        File.Copy(SharedData.RepoFile("tests/data/fixtures/schema-v1.db"), db);
        using (var c = LlmDatabase.OpenForWrite(db)) Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(c));
        Assert.Equal(["1|null"], Rows(db, "SELECT count(*), graph_launch_count FROM runs"));
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            LlmDatabase.Execute(c, "UPDATE passes SET busy_us = wall_us / 4, idle_us = wall_us - wall_us / 4;");
        }
        Assert.All(Rows(db, "SELECT coverage_note FROM pass_timeline"), note =>
            Assert.Equal("low kernel coverage (0.25): the GPU idles 75% of the pass: between eager launches (CPU-bound), or GPU work was not traced (graph while-node, kineto #1062)", note));
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void The_B200_eager_trace_note_names_CPU_side_idling_and_blames_no_graph()
    {
        var trace = SharedData.RequireTrace("tracelens/b200/eager_trace.json.gz");
        using var dir = new TempDir();
        Ingestion.Ingesting.Run(dir, trace);
        Assert.Equal(0L, Ingestion.Ingesting.Scalar<long>(dir, "SELECT graph_launch_count FROM runs"));
        Assert.Equal(
            ["0|0.13|low kernel coverage (0.13): the GPU idles 87% of the pass between eager kernel launches (no graph launch in the trace): CPU-bound, the host launches too slowly"],
            Rows(dir.File("t.db"), "SELECT pass_idx, round(kernel_coverage_ratio, 2), coverage_note FROM pass_timeline"));
    }

    private static List<string> Rows(string db, string sql)
    {
        using var c = LlmDatabase.OpenReadOnly(db);
        return Ingested.Rows(c, sql);
    }
}
