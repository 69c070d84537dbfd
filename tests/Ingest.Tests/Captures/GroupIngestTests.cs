using Dapper;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Captures;

/// <summary>
/// <see cref="TraceIngestor.IngestGroup"/>: the rank files of one capture stored with their capture row, ranks, time
/// offsets and file-name phases in one transaction; a file that fails to read is left out and the rest still land; a
/// failure inside the transaction leaves nothing of the group.
/// </summary>
[Trait("Category", "Slow")]
public sealed class GroupIngestTests
{
    private static readonly TraceSpec Spec = new() { Shape = TraceShape.Generic, NumLayers = 2, Passes = 2, WorldSize = 2 };

    private static List<IngestRequest> Requests(TempDir dir, params string[] files) =>
        files.Select(f => new IngestRequest { TracePath = f, DbPath = dir.File("t.db"), Segmentation = new() { NumLayers = 2 } }).ToList();

    [Fact]
    public void IngestGroup_stores_the_rank_files_with_their_capture_ranks_time_offsets_and_phases()
    {
        using var dir = new TempDir();
        var rank0 = dir.File("job-TP-0-DECODE.trace.json");
        var rank1 = dir.File("job-TP-1-DECODE.trace.json");
        TraceWriter.WriteFile(Spec with { Rank = 0 }, rank0, gzip: false);
        // Rank 1's profiler clock started 5 s later: its base time is 5,000,000,000 ns larger.
        TraceWriter.WriteFile(Spec with { Rank = 1, Seed = 7, BaseTimeNanoseconds = Spec.BaseTimeNanoseconds + 5_000_000_000 }, rank1, gzip: false);

        // Given in the other order: stored in rank order.
        var outcome = TraceIngestor.IngestGroup(Requests(dir, rank1, rank0));

        Assert.Equal([rank0, rank1], outcome.Files.Select(f => f.TracePath));
        Assert.Equal([1L, 2L], outcome.Files.Select(f => f.Outcome!.RunId));
        Assert.All(outcome.Files, f => Assert.Null(f.Error));
        var capture = outcome.Capture!;
        Assert.Equal(1L, capture.CaptureId);
        Assert.Equal("job-TP-*-DECODE.trace.json", capture.Name);
        Assert.Equal(new Dictionary<long, long> { [1] = 0, [2] = 1 }, capture.Ranks);
        Assert.Equal(["1|job-TP-*-DECODE.trace.json|2"], Ingesting.Strings(dir, "SELECT capture_id || '|' || name || '|' || world_size FROM captures"));
        Assert.Equal(["1|1|0|2|decode|0", "2|1|1|2|decode|5000000000"], Ingesting.Strings(dir,
            "SELECT run_id || '|' || capture_id || '|' || rank || '|' || world_size || '|' || phase || '|' || time_offset_ns FROM runs ORDER BY run_id"));
        Assert.StartsWith("base_time_ns; collective ends then differ by", Ingesting.Scalar<string>(dir, "SELECT time_alignment FROM runs WHERE run_id = 2"));
        Assert.Equal(outcome.Files.Sum(f => f.Outcome!.KernelCount), Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
    }

    [Fact]
    public void IngestGroup_of_sixteen_rank_files_stores_one_capture_of_sixteen_runs()
    {
        // More files than SQLite attaches databases: the runs wait in one group staging database.
        using var dir = new TempDir();
        var files = Enumerable.Range(0, 16).Select(r => dir.File($"cap-TP-{r}.trace.json")).ToArray();
        for (var r = 0; r < 16; r++)
            TraceWriter.WriteFile(Spec with { Rank = r, WorldSize = 16, Seed = (ulong)(100 + r), IncludeCpuSide = false }, files[r], gzip: false);

        var outcome = TraceIngestor.IngestGroup(Requests(dir, files));

        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), outcome.Files.Select(f => f.Outcome!.RunId));
        Assert.Equal(Enumerable.Range(0, 16).ToDictionary(r => (long)r + 1, r => (long)r), outcome.Capture!.Ranks);
        Assert.Equal(16L, outcome.Capture.WorldSize);
        Assert.Empty(outcome.Capture.Warnings);
        Assert.Equal(["16|1|16"], Ingesting.Strings(dir, "SELECT count(*) || '|' || count(DISTINCT capture_id) || '|' || max(world_size) FROM runs"));
        // every rank has the same base time: no offset
        Assert.Equal(0L, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM runs WHERE time_offset_ns <> 0"));
        Assert.Equal(outcome.Files.Sum(f => f.Outcome!.KernelCount), Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.Equal(16L, Ingesting.Scalar<long>(dir, "SELECT count(DISTINCT run_id) FROM kernels"));
    }

    [Fact]
    public void IngestGroup_leaves_out_a_file_that_fails_to_read_stores_the_others_and_adds_it_when_ingested_again()
    {
        using var dir = new TempDir();
        var files = Enumerable.Range(0, 3).Select(r => dir.File($"b-TP-{r}.trace.json")).ToArray();
        TraceWriter.WriteFile(Spec with { Rank = 0, WorldSize = 3 }, files[0], gzip: false);
        File.WriteAllText(files[1], "not a trace");
        TraceWriter.WriteFile(Spec with { Rank = 2, WorldSize = 3, Seed = 9 }, files[2], gzip: false);

        var outcome = TraceIngestor.IngestGroup(Requests(dir, files));

        Assert.Null(outcome.Files[1].Outcome);
        Assert.IsType<TraceFormatException>(outcome.Files[1].Error);
        Assert.Equal([1L, 2L], new[] { outcome.Files[0], outcome.Files[2] }.Select(f => f.Outcome!.RunId));
        Assert.Equal(new Dictionary<long, long> { [1] = 0, [2] = 2 }, outcome.Capture!.Ranks);
        Assert.Contains("world_size is 3 but no file was given for rank 1", Assert.Single(outcome.Capture.Warnings));
        Assert.Equal(["1|1|0", "2|1|2"], Ingesting.Strings(dir, "SELECT run_id || '|' || capture_id || '|' || rank FROM runs ORDER BY run_id"));

        // Fixed and ingested again: the two stored files are found, the third is added, and the capture regrouped.
        TraceWriter.WriteFile(Spec with { Rank = 1, WorldSize = 3, Seed = 8 }, files[1], gzip: false);
        var again = TraceIngestor.IngestGroup(Requests(dir, files));
        Assert.Equal([true, false, true], again.Files.Select(f => f.Outcome!.AlreadyPresent));
        Assert.Equal(3L, again.Files[1].Outcome!.RunId);
        Assert.Empty(again.Capture!.Warnings);
        Assert.Equal(["1|2|0", "2|2|2", "3|2|1"], Ingesting.Strings(dir, "SELECT run_id || '|' || capture_id || '|' || rank FROM runs ORDER BY run_id"));
        Assert.Equal(["2|3"], Ingesting.Strings(dir, "SELECT capture_id || '|' || world_size FROM captures"));
    }

    [Fact]
    public void IngestGroup_stores_nothing_of_the_group_when_the_transaction_fails_after_its_runs_were_written()
    {
        using var dir = new TempDir();
        var files = new[] { dir.File("f-TP-0.trace.json"), dir.File("f-TP-1.trace.json") };
        TraceWriter.WriteFile(Spec with { Rank = 0 }, files[0], gzip: false);
        TraceWriter.WriteFile(Spec with { Rank = 1, Seed = 5 }, files[1], gzip: false);
        using (var db = LlmDatabase.OpenForWrite(dir.File("t.db")))
            // The capture row is the group's last write: refusing it fails the transaction after both runs were written.
            db.Execute("CREATE TRIGGER refuse_captures BEFORE INSERT ON captures BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");

        var ex = Assert.Throws<DatabaseException>(() => TraceIngestor.IngestGroup(Requests(dir, files)));

        Assert.Contains("injected failure", ex.Message);
        Assert.StartsWith(dir.File("t.db"), ex.Message);
        foreach (var table in new[] { "runs", "captures", "kernel_rows", "kernel_names", "launch_contexts", "launches", "passes", "layers", "ingest_warnings", "trace_metadata" })
            Assert.Equal(0L, Ingesting.Scalar<long>(dir, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public void IngestGroup_refuses_files_that_do_not_form_one_group()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<ArgumentException>(() => TraceIngestor.IngestGroup(Requests(dir, dir.File("a-TP-0.json"), dir.File("b-TP-0.json"))));
        Assert.Contains("the files form 2 groups", ex.Message);
        Assert.Throws<ArgumentException>(() => TraceIngestor.IngestGroup(Requests(dir, dir.File("a-TP-0.json"), dir.File("a-TP-0.json"))));
        Assert.Throws<ArgumentException>(() => TraceIngestor.IngestGroup([]));
    }
}
