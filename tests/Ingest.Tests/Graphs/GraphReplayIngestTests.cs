using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>B26 (docs/messy-traces.md): graph-replay kernels attributed from companion capture traces, or flagged.</summary>
public sealed class GraphReplayIngestTests
{
    private const int ReplayKernels = 4 * GraphReplayTrace.KernelsPerStep;

    private static string MainTrace(TempDir dir, bool whileNode = false)
    {
        var trace = dir.File("decode.json");
        File.WriteAllText(trace, GraphReplayTrace.Replays(whileNode: whileNode));
        return trace;
    }

    private static IngestOutcome Ingest(TempDir dir, string trace, string? captureTraces = null) =>
        TraceIngestor.Ingest(new IngestRequest
        {
            TracePath = trace,
            DbPath = dir.File("t.db"),
            Segmentation = new() { NumLayers = GraphReplayTrace.Layers },
            CaptureTraces = captureTraces,
        });

    [Fact]
    public void Ingest_replay_kernels_take_op_name_and_input_dims_from_the_capture_trace_next_to_the_trace()
    {
        using var dir = new TempDir();
        var trace = MainTrace(dir);
        // bs_16 sorts first and has the same kernel names: only its grids tell it apart from the bs_8 capture.
        GraphReplayTrace.WriteGzip(dir.File("capture_traces/bs_16_rank0.json.gz"), GraphReplayTrace.Capture(16));
        GraphReplayTrace.WriteGzip(dir.File("capture_traces/bs_8_rank0.json.gz"), GraphReplayTrace.Capture(8));
        var outcome = Ingest(dir, trace);

        Assert.Equal(4, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(ReplayKernels, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE op_name IS NOT NULL"));
        Assert.Equal("aten::mm", Ingesting.Scalar<string>(dir, QkvOfPass2("op_name")));
        Assert.Equal("[[8,4096],[4096,6144]]", Ingesting.Scalar<string>(dir, QkvOfPass2("replace(input_dims, ' ', '')")));
        // the rotary kernels' capture carries no External id: linked through the launch's correlation id
        Assert.Equal(4 * GraphReplayTrace.Layers, Ingesting.Scalar<long>(dir, """
            SELECT count(*) FROM kernels k JOIN kernel_names n USING (name_id)
            WHERE n.name = 'rotary_embedding_kernel' AND k.op_name = '_C::rotary_embedding' AND replace(k.input_dims, ' ', '') = '[[8],[8,4096],[8,1024]]'
            """));
        foreach (var (name, (op, dims)) in GraphReplayTrace.StepKernels().Distinct().Select(n => (n, GraphReplayTrace.Bs8(n))))
            Assert.Equal(0, Ingesting.Scalar<long>(dir,
                $"SELECT count(*) FROM kernels k JOIN kernel_names n USING (name_id) WHERE n.name = '{name}' AND (k.op_name IS NOT '{op}' OR replace(k.input_dims, ' ', '') IS NOT '{dims}')"));

        // the step annotation says bs=8: the bs_8 capture, not bs_16 with the same kernel names
        Assert.Equal("cudaGraphLaunch|160|160|sequence|bs_8_rank0.json.gz", Ingesting.Scalar<string>(dir,
            "SELECT graph_launch_api || '|' || replay_kernels || '|' || replay_attributed || '|' || replay_match || '|' || replay_captures FROM runs"));
        Assert.Equal(1.0, Ingesting.Scalar<double>(dir, "SELECT replay_coverage FROM run_summary"));
        Assert.Equal(4, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM pass_timeline WHERE replay_coverage = 1.0"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM ingest_warnings WHERE kind LIKE 'graph_replay%'"));
        Assert.Empty(outcome.Warnings);
        Assert.Contains("Graph replays: 160 of 160 kernels of 4 cudaGraphLaunch replay(s) (100.0 %) took op, shapes and modules from bs_8_rank0.json.gz, aligned by sequence.", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_without_capture_traces_stores_the_unattributed_warning_with_the_replay_kernel_count()
    {
        using var dir = new TempDir();
        Ingest(dir, MainTrace(dir));
        Assert.Equal(ReplayKernels, Ingesting.Scalar<long>(dir, "SELECT count FROM ingest_warnings WHERE kind = 'graph_replay_unattributed'"));
        var detail = Ingesting.Scalar<string>(dir, "SELECT detail FROM ingest_warnings WHERE kind = 'graph_replay_unattributed'");
        Assert.StartsWith("no per-kernel attribution for 160 of 160 kernels launched by 4 cudaGraphLaunch replay(s)", detail, StringComparison.Ordinal);
        Assert.Contains("pass --capture-traces DIR", detail, StringComparison.Ordinal);
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE op_name IS NOT NULL"));
        Assert.Equal("cudaGraphLaunch|160|0", Ingesting.Scalar<string>(dir, "SELECT graph_launch_api || '|' || replay_kernels || '|' || replay_attributed FROM runs WHERE replay_match IS NULL"));
        Assert.Equal(4, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM pass_timeline WHERE replay_coverage = 0"));
    }

    [Fact]
    public void Ingest_with_a_capture_of_another_attention_kernel_attributes_the_others_by_name_and_says_which_lack_a_partner()
    {
        using var dir = new TempDir();
        var other = dir.File("elsewhere/bs_8_rank0.json.gz");
        GraphReplayTrace.WriteGzip(other, GraphReplayTrace.Capture(8, renamed: true));
        Ingest(dir, MainTrace(dir), other);
        // 4 attention kernels per step have no partner; the other 36 align as the k-th kernel of their name
        Assert.Equal(4 * GraphReplayTrace.Layers, Ingesting.Scalar<long>(dir, "SELECT count FROM ingest_warnings WHERE kind = 'graph_replay_unattributed'"));
        Assert.Equal("no per-kernel attribution for 16 of 160 kernels launched by 4 cudaGraphLaunch replay(s): op_name and input_dims are NULL; bs_8_rank0.json.gz has no partner for them (aligned by group-by-name)",
            Ingesting.Scalar<string>(dir, "SELECT detail FROM ingest_warnings WHERE kind = 'graph_replay_unattributed'"));
        Assert.Equal(ReplayKernels - 16, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE op_name IS NOT NULL"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels k JOIN kernel_names n USING (name_id) WHERE n.name = 'paged_attention_v2_kernel' AND op_name IS NOT NULL"));
        Assert.Equal("group-by-name", Ingesting.Scalar<string>(dir, "SELECT replay_match FROM runs"));
    }

    [Fact]
    public void Ingest_with_a_capture_of_another_model_attributes_nothing_and_says_so()
    {
        using var dir = new TempDir();
        var other = dir.File("elsewhere/bs_8_rank0.json");
        // only the first 10 kernels of the step: fewer than half of a replay's kernels find a partner
        CaptureKinds.Write(other, CaptureKinds.Capture(CaptureKinds.Step(8).Take(10).ToList(), CaptureKinds.Naming.LaunchArg));
        Ingest(dir, MainTrace(dir), other);
        Assert.Equal("no per-kernel attribution for 160 of 160 kernels launched by 4 cudaGraphLaunch replay(s): op_name and input_dims are NULL; none of the 1 capture trace(s) read holds their kernel sequence",
            Ingesting.Scalar<string>(dir, "SELECT detail FROM ingest_warnings WHERE kind = 'graph_replay_unattributed'"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE op_name IS NOT NULL"));
    }

    [Fact]
    public void Ingest_capture_traces_option_naming_nothing_is_an_error()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<IngestException>(() => Ingest(dir, MainTrace(dir), dir.File("missing")));
        Assert.Contains("--capture-traces", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_while_node_step_spanning_four_times_its_kernels_has_coverage_one_quarter_and_is_flagged()
    {
        using var dir = new TempDir();
        Ingest(dir, MainTrace(dir, whileNode: true));
        Assert.Equal(4, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM pass_timeline"));
        Assert.Equal(new long[] { 4, 4, 4, 4 }, Ingesting.Longs(dir, "SELECT layer_count FROM passes ORDER BY pass_idx"));
        Assert.Equal(new long[] { GraphReplayTrace.KernelsPerStep, GraphReplayTrace.KernelsPerStep, GraphReplayTrace.KernelsPerStep, GraphReplayTrace.KernelsPerStep },
            Ingesting.Longs(dir, "SELECT kernel_count FROM passes ORDER BY pass_idx"));
        Assert.Equal(4, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM pass_timeline WHERE kernel_coverage_ratio = 0.25 AND wall_ms = 1.6 AND busy_ms = 0.4"));
        Assert.Equal(4, Ingesting.Scalar<long>(dir,
            "SELECT count(*) FROM pass_timeline WHERE coverage_note = 'low kernel coverage (0.25): GPU work may be missing (graph while-node, kineto #1062)'"));
    }

    [Fact]
    public void Pass_timeline_kernel_coverage_of_a_full_step_is_busy_over_wall_without_a_note()
    {
        using var dir = new TempDir();
        Ingest(dir, MainTrace(dir));
        // 40 kernels of 8 us, 10 us apart: busy 320 us, wall 39 * 10 + 8 = 398 us
        Assert.Equal(4, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM pass_timeline WHERE abs(kernel_coverage_ratio - 320.0 / 398.0) < 1e-12 AND coverage_note IS NULL"));
    }

    private static string QkvOfPass2(string column) => $"""
        SELECT {column} FROM kernels k JOIN kernel_names n USING (name_id)
        WHERE n.name = 'nvjet_qkv_gemm' AND k.pass_idx = 2 AND k.layer_idx = 1
        """;
}
