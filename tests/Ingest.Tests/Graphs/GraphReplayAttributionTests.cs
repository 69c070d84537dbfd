using Dapper;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>
/// <see cref="GraphReplayAttribution.Apply"/> on a hand-filled database, inside the transaction that stores the run (as
/// ingest calls it): run 7's kernels, launches and names, and run 8 with the same correlation ids, which must stay untouched.
/// </summary>
public sealed class GraphReplayAttributionTests
{
    private const long Run = 7;

    /// <summary>
    /// Run 7: two replays of [rmsnorm, qkv, rotary] on device 0 (graph launch correlations 11, 12), one eager kernel
    /// launched by aten::add (correlation 13, op_name written at ingest); the companion holds the step's 40 kernels, of
    /// which layer 0 opens with rmsnorm, qkv, rotary. Run 8: one replay kernel of graph launch 11.
    /// </summary>
    private static (Microsoft.Data.Sqlite.SqliteConnection Db, Microsoft.Data.Sqlite.SqliteTransaction Tx) Stored(TempDir dir)
    {
        var c = LlmDatabase.OpenForWrite(dir.File("runs.db"));
        var tx = c.BeginTransaction();
        c.Execute("""
            INSERT INTO kernel_names (name_id, name, simplified_name) VALUES
            (10, 'rmsnorm_kernel', 'rmsnorm_kernel'), (11, 'nvjet_qkv_gemm', 'nvjet_qkv_gemm'),
            (12, 'rotary_embedding_kernel', 'rotary_embedding_kernel'), (13, 'eager_kernel', 'eager_kernel')
            """, transaction: tx);
        c.Execute("INSERT INTO launches (run_id, correlation, name, ts_ns) VALUES (7, 11, 'cudaGraphLaunch', 0), (7, 12, 'hipGraphLaunch', 100), (7, 13, 'cudaLaunchKernel', 200), (8, 11, 'cudaGraphLaunch', 0)", transaction: tx);
        c.Execute("""
            INSERT INTO kernels (run_id, device, kernel_idx, ts_ns, dur_ns, name_id, category, correlation, external_id, grid, block, op_name, input_dims) VALUES
            (7, 0, 0, 1000, 8, 10, 'norm', 11, NULL, '[64,1,1]', '[128,1,1]', NULL, NULL),
            (7, 0, 1, 1010, 8, 11, 'gemm', 11, NULL, '[32,1,1]', '[128,1,1]', NULL, NULL),
            (7, 0, 2, 1020, 8, 12, 'rope', 11, NULL, '[64,1,1]', '[128,1,1]', NULL, NULL),
            (7, 0, 3, 2000, 8, 13, 'other', 13, 5, NULL, NULL, 'aten::add', '[[8]]'),
            (7, 0, 4, 3000, 8, 10, 'norm', 12, NULL, '[64,1,1]', '[128,1,1]', NULL, NULL),
            (7, 0, 5, 3010, 8, 11, 'gemm', 12, NULL, '[32,1,1]', '[128,1,1]', NULL, NULL),
            (7, 0, 6, 3020, 8, 12, 'rope', 12, NULL, '[64,1,1]', '[128,1,1]', NULL, NULL),
            (8, 0, 0, 1000, 8, 10, 'norm', 11, NULL, '[64,1,1]', '[128,1,1]', NULL, NULL)
            """, transaction: tx);
        return (c, tx);
    }

    [Fact]
    public void Apply_fills_op_name_and_input_dims_of_replay_kernels_found_inside_a_capture_sequence()
    {
        using var dir = new TempDir();
        var trace = dir.File("decode.json");
        GraphReplayTrace.WriteGzip(dir.File("capture_traces/bs_8_rank0.json.gz"), GraphReplayTrace.Capture(8));
        var (db, tx) = Stored(dir);
        using var _ = db;
        var warnings = new WarningLog();
        var outcome = GraphReplayAttribution.Apply(db, tx, Run, trace, null, warnings);

        // the trace uses both launch calls; every message names them as the trace does
        Assert.Equal(new GraphReplayAttribution.Outcome("cudaGraphLaunch / hipGraphLaunch", 2, 6, 6, 6, "sequence", outcome.FilesUsed), outcome);
        Assert.Equal("bs_8_rank0.json.gz", Assert.Single(outcome.FilesUsed));
        var rows = db.Query<(long Idx, string? Op, string? Dims)>(
            "SELECT kernel_idx, op_name, input_dims FROM kernels WHERE run_id = 7 ORDER BY kernel_idx", transaction: tx).ToList();
        Assert.Equal((1L, "aten::mm", "[[8,4096],[4096,6144]]"), rows[1]);
        Assert.Equal((6L, "_C::rotary_embedding", "[[8],[8,4096],[8,1024]]"), rows[6]);
        Assert.Equal((3L, "aten::add", "[[8]]"), rows[3]); // eager kernel: keeps its launching cpu_op
        Assert.Null(db.ExecuteScalar<string?>("SELECT op_name FROM kernels WHERE run_id = 8", transaction: tx)); // another run
        Assert.Empty(warnings.Entries); // attributed is not a warning: the runs row carries it
    }

    [Fact]
    public void Apply_without_companions_counts_every_replay_kernel_as_unattributed()
    {
        using var dir = new TempDir();
        var (db, tx) = Stored(dir);
        using var _ = db;
        var warnings = new WarningLog();
        var outcome = GraphReplayAttribution.Apply(db, tx, Run, dir.File("decode.json"), null, warnings);
        Assert.Equal(new GraphReplayAttribution.Outcome("cudaGraphLaunch / hipGraphLaunch", 2, 6, 0, 0, null, outcome.FilesUsed), outcome);
        Assert.Empty(outcome.FilesUsed);
        var entry = warnings.Entries.Single(e => e.Key == WarningCatalog.GraphReplayUnattributed.Code).Value;
        Assert.Equal(6, entry.Count);
        Assert.Equal("no per-kernel attribution for 6 of 6 kernels launched by 2 cudaGraphLaunch / hipGraphLaunch replay(s): op_name and input_dims are NULL; "
            + "pass --capture-traces DIR (the capture_traces/ companion files vLLM or SGLang write during graph capture)", entry.Detail);
    }

    [Fact]
    public void Apply_with_capture_traces_named_but_no_replays_says_they_were_unused()
    {
        using var dir = new TempDir();
        var companion = dir.File("bs_8_rank0.json.gz");
        GraphReplayTrace.WriteGzip(companion, GraphReplayTrace.Capture(8));
        using var db = LlmDatabase.OpenForWrite(dir.File("runs.db"));
        using var tx = db.BeginTransaction();
        var warnings = new WarningLog();
        var outcome = GraphReplayAttribution.Apply(db, tx, Run, dir.File("eager.json"), companion, warnings);
        Assert.Equal(0, outcome.Replays);
        Assert.Equal("capture_traces_unused", Assert.Single(warnings.Entries).Key);
    }
}
