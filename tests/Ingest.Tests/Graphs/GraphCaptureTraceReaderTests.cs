using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

public sealed class GraphCaptureTraceReaderTests
{
    [Fact]
    public void Read_names_cuda_launches_through_the_kernel_event_of_their_correlation_with_the_launch_ops()
    {
        using var dir = new TempDir();
        var path = dir.File("capture_traces/bs_8_rank0.json.gz");
        GraphReplayTrace.WriteGzip(path, GraphReplayTrace.Capture(8));
        var trace = GraphCaptureTraceReader.Read(path);
        var seq = trace.Kernels;
        Assert.Equal(8, trace.BatchSize); // bs_8 in the file name
        Assert.Equal("40 launch records: 40 by the kernel event of their correlation", trace.NameSource);
        Assert.Equal(GraphReplayTrace.StepKernels(), seq.Select(k => k.Name!).ToList());
        // cudaLaunchKernel carries no grid: the kernel event of its correlation gives it, and stream 7
        Assert.Equal(new GraphCaptureTrace.Kernel("nvjet_qkv_gemm", "[32,1,1]", "[128,1,1]", 7, "aten::mm", "[[8,4096],[4096,6144]]", null, null, null), seq[2]);
        Assert.Equal(new GraphCaptureTrace.Kernel("rotary_embedding_kernel", "[64,1,1]", "[128,1,1]", 7, "_C::rotary_embedding", "[[8],[8,4096],[8,1024]]", null, null, null), seq[3]);
    }

    [Fact]
    public void Resolve_finds_capture_traces_next_to_the_trace_only_when_no_option_is_given()
    {
        using var dir = new TempDir();
        var trace = dir.File("decode.json");
        File.WriteAllText(trace, "{}");
        Assert.Empty(GraphCaptureTraceFiles.Resolve(trace, null).Files);
        GraphReplayTrace.WriteGzip(dir.File("capture_traces/runner_a/bs_8_rank0.json.gz"), "{}");
        GraphReplayTrace.WriteGzip(dir.File("capture_traces/bs_16_rank0.json.gz"), "{}");
        File.WriteAllText(dir.File("capture_traces/readme.txt"), "not a trace");
        var (files, isExplicit) = GraphCaptureTraceFiles.Resolve(trace, null);
        Assert.False(isExplicit);
        Assert.Equal(new[] { "bs_16_rank0.json.gz", "bs_8_rank0.json.gz" }, files.Select(f => Path.GetFileName(f)).ToArray());
        var single = dir.File("capture_traces/bs_16_rank0.json.gz");
        var (one, named) = GraphCaptureTraceFiles.Resolve(trace, single);
        Assert.True(named);
        Assert.Equal(Path.GetFullPath(single), Assert.Single(one));
    }
}
