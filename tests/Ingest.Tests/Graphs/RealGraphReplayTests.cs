using LlmPipeline.Ingest.Tests.Pipeline;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>
/// B26 on the real graph-replay traces of traces/MANIFEST.md (no capture traces were published with them): every
/// kernel of a hipGraphLaunch replay is counted as unattributed; counts computed with python3 gzip + json (kernels whose
/// args.correlation is that of a hipGraphLaunch runtime event; none of them has an External id).
/// </summary>
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
}
