using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>
/// The real graph-replay traces published by AMD-AGI/TraceLens (tests/traces/inference, commit 171dd747), without and
/// with the capture traces published beside them. Without: every kernel of a hipGraphLaunch replay is counted as
/// unattributed (counts computed with python3 gzip + json: kernels whose args.correlation is that of a hipGraphLaunch
/// runtime event; none of them has an External id). With: the capture's launch records name the kernels
/// (args.kernel), and the replays align to them as contiguous sequences.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RealGraphReplayTests
{
    [SkippableTheory]
    [InlineData("tracelens/inference/vllm_decode_full/graph_execution.json.gz", 421)]
    [InlineData("tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz", 544)]
    [InlineData("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz", 361)]
    public void Ingest_real_graph_replays_without_capture_traces_are_counted_unattributed(string relative, long replayKernels)
    {
        var trace = SharedData.RequireTrace(relative);
        using var dir = new TempDir();
        Ingesting.Run(dir, trace);
        Assert.Equal(replayKernels, Ingesting.Scalar<long>(dir, "SELECT count FROM ingest_warnings WHERE kind = 'graph_replay_unattributed'"));
        Assert.Equal(replayKernels, Ingesting.Scalar<long>(dir, """
            SELECT count(*) FROM kernels k
            WHERE k.op_name IS NULL AND k.correlation IN (SELECT correlation FROM launches WHERE name = 'hipGraphLaunch')
            """));
    }

    [SkippableFact]
    public void Pass_timeline_kernel_coverage_of_the_vllm_full_graph_decode_step_is_near_one_and_not_flagged()
    {
        var trace = SharedData.RequireTrace("tracelens/inference/vllm_decode_full/graph_execution.json.gz");
        using var dir = new TempDir();
        Ingesting.Run(dir, trace);
        // the one pass holds all 425 kernels: union of their intervals 10674.517 us over a span of 10699.981 us (python3)
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM pass_timeline WHERE kernel_count = 425"));
        Assert.Equal(10674.517 / 10699.981, Ingesting.Scalar<double>(dir, "SELECT kernel_coverage_ratio FROM pass_timeline"), 12);
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM pass_timeline WHERE coverage_note IS NOT NULL"));
    }

    /// <summary>
    /// Kernels, replay kernels, kernels with op_name and with input_dims after attribution, replays and method. The 3
    /// SGLang kernels without an op are eager kernels the trace gives no cpu_op (resolve_future_token_ids,
    /// clamp_position, create_flashinfer_kv_indices_triton); every replayed kernel of the three pairs is attributed.
    /// Before attribution existed op_name was set on 8, 4 and 52 kernels (the eager ones).
    /// </summary>
    [SkippableTheory]
    [InlineData("sglang_decode", "sglang_decode/sglang_Qwen3-8B_decode.json.gz", 555, 544, 552, 552, "sequence")]
    [InlineData("vllm_decode_full", "vllm_decode_full/graph_execution.json.gz", 425, 421, 425, 425, "sequence")]
    [InlineData("vllm_prefilldecode_piecewise", "vllm_prefilldecode_piecewise/graph_execution.json.gz", 413, 361, 413, 413, "sequence")]
    public void Ingest_real_pairs_with_their_capture_traces_attributes_every_replayed_kernel(
        string captureCase, string relative, long kernels, long replayKernels, long withOp, long withDims, string method)
    {
        var trace = SharedData.RequireTrace("tracelens/inference/" + relative);
        var captures = SharedData.RequireCapture("tracelens/" + captureCase);
        using var dir = new TempDir();
        TraceIngestor.Ingest(new IngestRequest { TracePath = trace, DbPath = dir.File("t.db"), CaptureTraces = captures });
        Assert.Equal(kernels, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.Equal(withOp, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE op_name IS NOT NULL"));
        Assert.Equal(withDims, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE input_dims IS NOT NULL"));
        Assert.True(withOp >= 0.95 * kernels && withDims >= 0.90 * kernels);
        Assert.Equal($"hipGraphLaunch|{replayKernels}|{replayKernels}|{method}", Ingesting.Scalar<string>(dir,
            "SELECT graph_launch_api || '|' || replay_kernels || '|' || replay_attributed || '|' || replay_match FROM runs"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM ingest_warnings WHERE kind = 'graph_replay_unattributed'"));
        // input_dims and input_types stay JSON lists of lists / lists
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE input_dims IS NOT NULL AND (json_valid(input_dims) = 0 OR json_type(input_dims) <> 'array')"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE input_types IS NOT NULL AND (json_valid(input_types) = 0 OR json_type(input_types) <> 'array')"));
    }

    /// <summary>
    /// vLLM's torch.compile captures have no decoder-layer module scopes: each kernel's module is the
    /// "## Call CompiledFxGraph … ##" piece it was captured in (25 annotations of 3 distinct compiled graphs: the
    /// layer graph 23 times, a first and a last piece); the 60 kernels launched between the pieces keep the enclosing
    /// GraphModule_0; no kernel gets a layer_module.
    /// </summary>
    [SkippableFact]
    public void Vllm_full_graph_kernels_take_their_compiled_graph_piece_as_module()
    {
        var trace = SharedData.RequireTrace("tracelens/inference/vllm_decode_full/graph_execution.json.gz");
        var captures = SharedData.RequireCapture("tracelens/vllm_decode_full");
        using var dir = new TempDir();
        TraceIngestor.Ingest(new IngestRequest { TracePath = trace, DbPath = dir.File("t.db"), CaptureTraces = captures });
        Assert.Equal(361, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE module LIKE '## Call CompiledFxGraph %'"));
        Assert.Equal(3, Ingesting.Scalar<long>(dir, "SELECT count(DISTINCT module) FROM kernels WHERE module LIKE '## Call CompiledFxGraph %'"));
        Assert.Equal(60, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE module = 'GraphModule_0'"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE layer_module IS NOT NULL"));
    }
}
