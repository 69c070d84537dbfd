using LlmPipeline.Ingest.Captures;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Captures;

public sealed class CaptureNamingTests
{
    [Theory]
    [InlineData("1760000000.1-TP-3-DECODE.trace.json.gz", "1760000000.1-TP-*-DECODE.trace.json.gz", 3, "decode")]
    [InlineData("prof-TP-1-DP-0-PP-0-EP-1-EXTEND.trace.json.gz", "prof-TP-*-DP-*-PP-*-EP-*-EXTEND.trace.json.gz", 1, "prefill")]
    [InlineData("run-TP-0.trace.json.gz", "run-TP-*.trace.json.gz", 0, null)]
    [InlineData("sampled_rank-1.json.gz", "sampled_rank-*.json.gz", 1, null)]
    [InlineData("rank-70.Mar_25_20_48_12.2861.pt.trace.json.gz", "rank-*.Mar_25_20_48_12.2861.pt.trace.json.gz", 70, null)]
    [InlineData("job_rank0.1234.pt.trace.json.gz", "job_rank*.1234.pt.trace.json.gz", 0, null)]
    [InlineData("inference_rank_1.json.gz", "inference_rank_*.json.gz", 1, null)]
    [InlineData("llama-PREFILL.json", null, null, "prefill")]
    [InlineData("Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", null, null, null)]
    [InlineData("frank3.json", null, null, null)]
    public void Parse_reads_rank_capture_name_and_phase_from_the_file_name(string file, string? capture, int? rank, string? phase)
    {
        var parsed = CaptureNaming.Parse("/some/dir/" + file);
        Assert.Equal(capture, parsed.CaptureName);
        Assert.Equal(rank, parsed.Rank);
        Assert.Equal(phase, parsed.Phase);
    }

    [Fact]
    public void Group_puts_rank_files_of_one_directory_and_name_into_one_capture_in_rank_order()
    {
        var groups = CaptureGrouper.Group([
            "/d/a-TP-1-DECODE.trace.json.gz", "/d/a-TP-0-DECODE.trace.json.gz", "/d/a-TP-0-EXTEND.trace.json.gz",
            "/e/a-TP-0-DECODE.trace.json.gz", "/d/lone.json", "/d/a-TP-0-DECODE.trace.json.gz",
        ]);
        Assert.Equal(4, groups.Count);
        Assert.Equal("a-TP-*-DECODE.trace.json.gz", groups[0].Name);
        Assert.Equal([0, 1], groups[0].Files.Select(f => f.Rank!.Value));
        Assert.Equal("a-TP-*-EXTEND.trace.json.gz", groups[1].Name);
        Assert.Single(groups[1].Files);
        Assert.Equal("/e", groups[2].Directory);
        Assert.False(groups[3].IsCapture);
    }
}
