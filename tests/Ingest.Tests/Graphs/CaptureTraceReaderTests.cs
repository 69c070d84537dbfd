using LlmPipeline.Ingest.Pipeline;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

public sealed class CaptureTraceReaderTests
{
    [Fact]
    public void Read_gives_the_kernel_sequence_with_ops_by_external_id_or_launch_correlation()
    {
        using var dir = new TempDir();
        var path = dir.File("capture_traces/bs_8_rank0.json.gz");
        GraphReplayTrace.WriteGzip(path, GraphReplayTrace.Capture(8));
        var trace = CaptureTraceReader.Read(path);
        var seq = Assert.Single(trace.Sequences);
        Assert.Equal(GraphReplayTrace.StepKernels(), seq.Select(k => k.Name).ToList());
        Assert.Equal(new CaptureTrace.Kernel("nvjet_qkv_gemm", "[32,1,1]", "[128,1,1]", "aten::mm", "[[8,4096],[4096,6144]]"), seq[2]);
        // no External id on the kernel: the cudaLaunchKernel with its correlation names the op
        Assert.Equal(new CaptureTrace.Kernel("rotary_embedding_kernel", "[64,1,1]", "[128,1,1]", "_C::rotary_embedding", "[[8],[8,4096],[8,1024]]"), seq[3]);
    }

    [Fact]
    public void Resolve_finds_capture_traces_next_to_the_trace_only_when_no_option_is_given()
    {
        using var dir = new TempDir();
        var trace = dir.File("decode.json");
        File.WriteAllText(trace, "{}");
        Assert.Empty(CaptureTraceFiles.Resolve(trace, null).Files);
        GraphReplayTrace.WriteGzip(dir.File("capture_traces/runner_a/bs_8_rank0.json.gz"), "{}");
        GraphReplayTrace.WriteGzip(dir.File("capture_traces/bs_16_rank0.json.gz"), "{}");
        File.WriteAllText(dir.File("capture_traces/readme.txt"), "not a trace");
        var (files, isExplicit) = CaptureTraceFiles.Resolve(trace, null);
        Assert.False(isExplicit);
        Assert.Equal(new[] { "bs_16_rank0.json.gz", "bs_8_rank0.json.gz" }, files.Select(f => Path.GetFileName(f)).ToArray());
        var single = dir.File("capture_traces/bs_16_rank0.json.gz");
        var (one, named) = CaptureTraceFiles.Resolve(trace, single);
        Assert.True(named);
        Assert.Equal(Path.GetFullPath(single), Assert.Single(one));
    }
}
