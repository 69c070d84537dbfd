using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class IngestCommandTests
{
    [Fact]
    public void Ingest_tag_without_equals_is_a_usage_error()
    {
        using var dir = new TempDir();
        var r = Llmpipe.Run("ingest", dir.File("t.json"), "--tag", "novalue", "--db", dir.File("x.db"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--tag 'novalue' is not KEY=VALUE", r.Stderr);
    }

    [Fact]
    public void Ingest_unknown_anchor_role_is_a_usage_error()
    {
        using var dir = new TempDir();
        Assert.Equal(2, Llmpipe.Run("ingest", dir.File("t.json"), "--anchor-role", "middle", "--db", dir.File("x.db")).ExitCode);
    }

    [Fact]
    public void Ingest_of_a_file_that_is_not_json_fails_with_exit_1_naming_the_file()
    {
        using var dir = new TempDir();
        var trace = dir.File("notes.json");
        File.WriteAllText(trace, "hello, this is not a trace");
        var r = Llmpipe.Run("ingest", trace, "--db", dir.File("x.db"), "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr);
        Assert.Contains("notes.json", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal($"{trace}: failed\n", r.Stdout);
    }

    [Fact]
    public void ParseTags_keeps_the_last_value_of_a_key_and_equals_in_values()
    {
        var tags = LlmPipeline.Query.Commands.Ingest.IngestCommandAction.ParseTags(["tp=8", "note=a=b", "tp=4"]);
        Assert.Equal("4", tags["tp"]);
        Assert.Equal("a=b", tags["note"]);
    }

    [Fact]
    public void Ingest_of_a_merged_two_rank_file_names_both_runs_and_sums_each_runs_warnings_once()
    {
        using var dir = new TempDir();
        var trace = dir.File("merged.json");
        var events = new List<string>();
        foreach (var prefix in new[] { "[TP00-DP00-PP00-EP00] ", "[TP01-DP00-PP00-EP00] " })
            for (var i = 0; i < 3; i++)
                events.Add($"{{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"{prefix}gemm_{i}\",\"pid\":0,\"tid\":7,\"ts\":{1000 + i * 100},\"dur\":5,\"args\":{{\"device\":0,\"stream\":7,\"correlation\":{1001 + i}}}}}");
        File.WriteAllText(trace, "{\"traceEvents\":[" + string.Join(",", events) + "]}");
        var r = Llmpipe.Run("ingest", trace, "--db", dir.File("x.db"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"{trace}: ingested as runs 1, 2 (one per rank)", r.Stdout);
        // Each run's summary: its rank label as a note, its warnings counted with the command that lists them.
        Assert.Contains("  note: merged multi-rank trace: this run holds the events labelled [TP01-DP00-PP00-EP00]; rank 1 is the label's TP number\n", r.Stdout);
        Assert.Contains("details: llmpipe runs 2 --details; 2 warnings: llmpipe warnings --run 2 (no_anchor, unknown_gpu)\n", r.Stdout);
        Assert.Equal("", r.Stderr);
        // --verbose: the paragraphs, and every warning once, prefixed by its run and rank.
        var verbose = Llmpipe.Run("ingest", trace, "--db", dir.File("v.db"), "--verbose");
        Assert.Contains("warning: run 2, rank 1 ([TP01-DP00-PP00-EP00]): ", verbose.Stderr);
        Assert.DoesNotContain("warning: run 1: run 2", verbose.Stderr);
    }

    /// <summary>The sample's real graph-capture trace (TraceLens, MIT), shipped beside the sample trace.</summary>
    private static string SampleCapture() => SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/capture_traces/bs_32_rank0.json.gz");

    [Fact]
    public void Ingest_of_a_graph_capture_trace_alone_fails_with_exit_1_saying_how_to_use_it_even_with_force()
    {
        using var dir = new TempDir();
        var capture = dir.File("bs_32_rank0.json.gz");
        File.Copy(SampleCapture(), capture);
        foreach (var force in new[] { false, true })
        {
            var r = force
                ? Llmpipe.Run("ingest", capture, "--db", dir.File("x.db"), "--quiet", "--force")
                : Llmpipe.Run("ingest", capture, "--db", dir.File("x.db"), "--quiet");
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith($"error: {capture}: a graph-capture trace (546 kernel launches but 2 kernel events, annotation 'capture_32_DECODE'", r.Stderr);
            Assert.Contains($"--capture-traces {capture}", r.Stderr);
        }
        Assert.Contains("0", Llmpipe.Run("sql", "--db", dir.File("x.db"), "--format", "csv", "SELECT count(*) AS n FROM runs").Stdout);
    }

    [Fact]
    public void Ingest_of_a_graph_capture_trace_among_other_files_is_skipped_without_failing()
    {
        using var dir = new TempDir();
        var capture = dir.File("bs_32_rank0.json.gz");
        File.Copy(SampleCapture(), capture);
        var sample = SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz");
        var r = Llmpipe.Run("ingest", capture, sample, "--db", dir.File("x.db"), "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"{capture}: skipped (graph-capture trace): a graph-capture trace (546 kernel launches but 2 kernel events", r.Stdout);
        Assert.Contains($"{sample}: ingested as run 1", r.Stdout);
        // the sample trace found its capture in capture_traces/ beside it
        Assert.Contains("  note: graph replays: 544 of 544 kernels of hipGraphLaunch replays took op, shapes and modules from bs_32_rank0.json.gz, aligned by sequence\n", r.Stdout);
    }
}
