using Dapper;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Pipeline;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary><see cref="CaptureAttribution.Apply"/> on a hand-filled staging database (the rows the merge then copies).</summary>
public sealed class CaptureAttributionTests
{
    private static readonly string[] Names = ["rmsnorm_kernel", "nvjet_qkv_gemm", "rotary_embedding_kernel", "eager_kernel"];

    /// <summary>
    /// Two replays of [rmsnorm, qkv, rotary] on device 0 (graph launch correlations 11, 12), one eager kernel launched
    /// by aten::add (correlation 13, External id 5); the companion holds the step's 40 kernels, of which layer 0 opens
    /// with rmsnorm, qkv, rotary.
    /// </summary>
    private static StagingDatabase Staged()
    {
        var staging = new StagingDatabase(backgroundWriter: false);
        var c = staging.Connection;
        var tx = staging.Transaction;
        c.Execute("INSERT INTO launches (run_id, correlation, name, ts_ns) VALUES (0, 11, 'cudaGraphLaunch', 0), (0, 12, 'hipGraphLaunch', 100), (0, 13, 'cudaLaunchKernel', 200)", transaction: tx);
        c.Execute("INSERT INTO cpu_ops (external_id, name, input_dims) VALUES (5, 'aten::add', '[[8]]')", transaction: tx);
        c.Execute("""
            INSERT INTO kernels (run_id, device, kernel_idx, ts_ns, dur_ns, name_id, category, correlation, external_id, grid, block) VALUES
            (0, 0, 0, 1000, 8, 0, 'norm', 11, NULL, '[64,1,1]', '[128,1,1]'),
            (0, 0, 1, 1010, 8, 1, 'gemm', 11, NULL, '[32,1,1]', '[128,1,1]'),
            (0, 0, 2, 1020, 8, 2, 'rope', 11, NULL, '[64,1,1]', '[128,1,1]'),
            (0, 0, 3, 2000, 8, 3, 'other', 13, 5, NULL, NULL),
            (0, 0, 4, 3000, 8, 0, 'norm', 12, NULL, '[64,1,1]', '[128,1,1]'),
            (0, 0, 5, 3010, 8, 1, 'gemm', 12, NULL, '[32,1,1]', '[128,1,1]'),
            (0, 0, 6, 3020, 8, 2, 'rope', 12, NULL, '[64,1,1]', '[128,1,1]')
            """, transaction: tx);
        return staging;
    }

    [Fact]
    public void Apply_fills_op_name_and_input_dims_of_replay_kernels_found_inside_a_capture_sequence()
    {
        using var dir = new TempDir();
        var trace = dir.File("decode.json");
        GraphReplayTrace.WriteGzip(dir.File("capture_traces/bs_8_rank0.json.gz"), GraphReplayTrace.Capture(8));
        using var staging = Staged();
        var warnings = new WarningLog();
        var outcome = CaptureAttribution.Apply(staging.Connection, staging.Transaction, Names, trace, null, warnings);

        Assert.Equal(new CaptureAttribution.Outcome(2, 6, 6, outcome.FilesUsed), outcome);
        Assert.Equal("bs_8_rank0.json.gz", Path.GetFileName(Assert.Single(outcome.FilesUsed)));
        var rows = staging.Connection.Query<(long Idx, string? Op, string? Dims)>(
            "SELECT kernel_idx, op_name, input_dims FROM kernels ORDER BY kernel_idx", transaction: staging.Transaction).ToList();
        Assert.Equal((1L, "aten::mm", "[[8,4096],[4096,6144]]"), rows[1]);
        Assert.Equal((6L, "_C::rotary_embedding", "[[8],[8,4096],[8,1024]]"), rows[6]);
        Assert.Equal((3L, (string?)null, (string?)null), rows[3]); // eager kernel: left to the merge's cpu_ops join
        Assert.Equal(6, warnings.Entries.Single(e => e.Key == CaptureAttribution.AttributedKind).Value.Count);
        Assert.DoesNotContain(warnings.Entries, e => e.Key == CaptureAttribution.UnattributedKind);
    }

    [Fact]
    public void Apply_without_companions_counts_every_replay_kernel_as_unattributed()
    {
        using var dir = new TempDir();
        using var staging = Staged();
        var warnings = new WarningLog();
        var outcome = CaptureAttribution.Apply(staging.Connection, staging.Transaction, Names, dir.File("decode.json"), null, warnings);
        Assert.Equal(new CaptureAttribution.Outcome(2, 6, 0, outcome.FilesUsed), outcome);
        Assert.Empty(outcome.FilesUsed);
        var entry = warnings.Entries.Single(e => e.Key == CaptureAttribution.UnattributedKind).Value;
        Assert.Equal(6, entry.Count);
        Assert.StartsWith("no per-kernel attribution for graph replays; 6 of 6 kernels launched by 2 cudaGraphLaunch replay(s)", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_with_capture_traces_named_but_no_replays_says_they_were_unused()
    {
        using var dir = new TempDir();
        var companion = dir.File("bs_8_rank0.json.gz");
        GraphReplayTrace.WriteGzip(companion, GraphReplayTrace.Capture(8));
        using var staging = new StagingDatabase(backgroundWriter: false);
        var warnings = new WarningLog();
        var outcome = CaptureAttribution.Apply(staging.Connection, staging.Transaction, Names, dir.File("eager.json"), companion, warnings);
        Assert.Equal(0, outcome.Replays);
        Assert.Equal("capture_traces_unused", Assert.Single(warnings.Entries).Key);
    }
}
