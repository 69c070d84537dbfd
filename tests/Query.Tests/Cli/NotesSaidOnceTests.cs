using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Cli;

/// <summary>
/// Notes are not warnings, and both are said once, at ingest (issue 21): a GPU-only trace's External ids are a note,
/// counted as no warning; reports do not repeat a stored warning (graph replays without a capture trace).
/// </summary>
public sealed class NotesSaidOnceTests
{
    /// <summary>Kernels only, with External id 0 and no CPU operator: what a trace recorded with GPU activities only holds.</summary>
    private const string GpuOnly = """
        {"deviceProperties": [{"id": 0, "name": "NVIDIA H100 80GB HBM3"}], "traceEvents": [
        {"ph": "X", "cat": "kernel", "name": "gemm_a", "pid": 0, "tid": 7, "ts": 100, "dur": 4, "args": {"device": 0, "stream": 7, "correlation": 1, "External id": 0}},
        {"ph": "X", "cat": "kernel", "name": "gemm_b", "pid": 0, "tid": 7, "ts": 110, "dur": 4, "args": {"device": 0, "stream": 7, "correlation": 2, "External id": 0}}
        ]}
        """;

    [Fact]
    public void A_gpu_only_trace_gets_a_note_and_no_warning_for_its_external_ids()
    {
        using var dir = new TempDir();
        var trace = dir.File("gpu_only.json");
        File.WriteAllText(trace, GpuOnly);
        var db = dir.File("x.db");
        var r = Llmpipe.Run("ingest", trace, "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("\n  note: 2 kernel(s) carry External id 0, which means unknown, and no launch gives them one: ", r.Stdout);
        // Two kernels give no layer structure: that is the one warning.
        Assert.Contains("; details: llmpipe runs 1 --details; 1 warning: llmpipe warnings --run 1 (no_anchor)\n", r.Stdout);
        var stored = Parse.Csv(Llmpipe.Run("warnings", "--run", "1", "--format", "csv", "--db", db).Stdout).ToDictionary(x => x["kind"], x => x["severity"]);
        Assert.Equal("info", stored["kernel_external_id_zero"]);
        Assert.Equal("failed", stored["no_anchor"]);
    }

    [Fact]
    public void Reports_do_not_repeat_the_graph_replay_warning_ingest_printed()
    {
        using var dir = new TempDir();
        // The sample without its capture_traces/ folder: its replays stay unattributed.
        var trace = dir.File("sglang_Qwen3-8B_decode.json.gz");
        File.Copy(SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz"), trace);
        var db = dir.File("x.db");
        var ingest = Llmpipe.Run("ingest", trace, "--db", db, "--num-layers", "36");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        Assert.Contains("; 1 warning: llmpipe warnings --run 1 (graph_replay_unattributed)\n", ingest.Stdout);
        foreach (var report in new[] { new[] { "timeline" }, ["layers", "--run", "1"], ["kernels", "--run", "1", "--layer", "3"] })
        {
            var r = Llmpipe.Run([.. report, "--db", db]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.DoesNotContain("replay", r.Stderr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("note:", r.Stderr, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void The_rtp_llm_trace_recorded_without_cpu_operators_is_clean_with_one_note()
    {
        var trace = SharedData.RequireTrace("llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz");
        using var dir = new TempDir();
        var r = Llmpipe.Run("ingest", trace, "--db", dir.File("x.db"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("  note: 2216 kernel(s) carry External id 0, which means unknown, and no launch gives them one: ", lines[2]);
        Assert.EndsWith("; details: llmpipe runs 1 --details; warnings: none", lines[3]);
        Assert.Equal("", r.Stderr);
    }
}
