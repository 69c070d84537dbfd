using System.Text.RegularExpressions;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Cli;

/// <summary>
/// The short ingest summary (issue 21): at most 8 lines of at most 160 characters per file on a clean trace, stdout
/// and stderr together; the whole paragraph in <c>runs N --details</c> and <c>ingest --verbose</c>.
/// </summary>
public sealed class IngestSummaryTests
{
    private const int MaxLines = 8;
    private const int MaxWidth = 160;

    private static string Sample() => SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz");

    private static string[] Lines(CliResult r) =>
        (r.Stdout + r.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void The_sample_trace_gets_four_summary_lines_and_its_closing_line()
    {
        using var dir = new TempDir();
        var r = Llmpipe.Run("ingest", Sample(), "--db", dir.File("x.db"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var lines = Lines(r);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.True(l.Length <= MaxWidth, $"{l.Length} characters: {l}"));
        // The sample's config.json (model_type qwen3, 36 layers) and capture_traces/ lie beside it.
        Assert.Equal("run 1: sglang_Qwen3-8B_decode.json.gz: 555 kernels on AMD Instinct MI300X (sglang, qwen3)", lines[0]);
        Assert.Equal("  1 pass x 36 layers (decode 1); profile generic; anchor 'void paged_attention_ll4mi_QKV_mfma16_kernel<0,…' (opens); layer boundaries: module_scopes", lines[1]);
        Assert.Equal("  note: graph replays: 544 of 544 kernels of hipGraphLaunch replays took op, shapes and modules from bs_32_rank0.json.gz, aligned by sequence", lines[2]);
        Assert.Matches(@"^  0\.6 MB of JSON in \d+\.\d\d s \(\d+(\.\d)? MB/s\); details: llmpipe runs 1 --details; warnings: none$", lines[3]);
        Assert.Equal($"{Sample()}: ingested as run 1", lines[4]);
    }

    [Fact]
    public void Runs_details_and_ingest_verbose_give_the_whole_paragraph()
    {
        using var dir = new TempDir();
        var db = dir.File("x.db");
        var verbose = Llmpipe.Run("ingest", Sample(), "--db", db, "--verbose");
        Assert.Equal(0, verbose.ExitCode);
        Assert.StartsWith("run 1: sglang_Qwen3-8B_decode.json.gz: 555 kernels on 1 device(s) from 2,058 trace events (0.6 MB of JSON in ", verbose.Stdout);
        Assert.Contains(" Layer boundaries (module_scopes): each layer starts at the first kernel of its decoder-layer module (nn.Module scopes, 36 layers). ", verbose.Stdout);

        var details = Llmpipe.Run("runs", "1", "--details", "--db", db);
        Assert.Equal(0, details.ExitCode);
        var lines = details.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"run 1: {Sample()}", lines[0]);
        Assert.Equal("kernels: 555 on 1 device(s) from 2,058 trace events (0.6 MB of JSON)", lines[1]);
        Assert.Equal("GPU: AMD Instinct MI300X", lines[2]);
        Assert.Equal("framework: sglang (annotation 'step[DECODE bs=32]')", lines[3]);
        Assert.Equal("model: qwen3 (config model_type)", lines[4]);
        Assert.StartsWith("anchor: 'void paged_attention_ll4mi_QKV_mfma16_kernel<0, __hip_bfloat16, ", lines[6]);
        Assert.Contains("' (opens, 1 block(s)/layer): auto-detected ", lines[6]);
        Assert.Equal("layers: 36 (config num_hidden_layers)", lines[7]);
        Assert.Equal("passes: 1 pass x 36 layers (decode 1)", lines[8]);
        Assert.Equal("layer boundaries: module_scopes: each layer starts at the first kernel of its decoder-layer module (nn.Module scopes, 36 layers)", lines[9]);
        Assert.Equal("graph replays: 544 of 544 kernels of hipGraphLaunch replays took op, shapes and modules from bs_32_rank0.json.gz, aligned by sequence", lines[10]);
        Assert.Equal("warnings: none", lines[^1]);

        var missing = Llmpipe.Run("runs", "7", "--details", "--db", db);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"error: run 7 does not exist in {db}; valid run ids: 1\n", missing.Stderr);
    }

    [Fact]
    public void Runs_with_a_run_id_lists_that_run_alone()
    {
        using var dir = new TempDir();
        var db = dir.File("x.db");
        Assert.Equal(0, Llmpipe.Run("ingest", Sample(), "--db", db, "--quiet").ExitCode);
        Assert.Equal(0, Llmpipe.Run("ingest", Sample(), "--db", db, "--quiet", "--force").ExitCode);
        Assert.Equal(["2"], Parse.Csv(Llmpipe.Run("runs", "2", "--format", "csv", "--db", db).Stdout).Select(r => r["run_id"]));
        Assert.Equal(["1", "2"], Parse.Csv(Llmpipe.Run("runs", "--format", "csv", "--db", db).Stdout).Select(r => r["run_id"]));
    }

    /// <summary>The 8 real LLM traces of ../shared, the ones whose layers <see cref="LayerBoundaryRealTraceTests"/> checks.</summary>
    public static TheoryData<string> LlmTraces()
    {
        var data = new TheoryData<string>();
        foreach (var row in LayerBoundaryRealTraceTests.Traces()) data.Add((string)row[0]);
        return data;
    }

    [SkippableTheory]
    [Trait("Category", "Corpus")]
    [MemberData(nameof(LlmTraces))]
    public void Each_real_LLM_trace_gets_at_most_8_lines_of_at_most_160_characters(string trace)
    {
        var path = SharedData.RequireTrace(trace);
        using var dir = new TempDir();
        var r = Llmpipe.Run("ingest", path, "--db", dir.File("x.db"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = Lines(r);
        Assert.True(lines.Length <= MaxLines, $"{lines.Length} lines:\n{r.Stdout}{r.Stderr}");
        Assert.All(lines, l => Assert.True(l.Length <= MaxWidth, $"{l.Length} characters: {l}"));
        Assert.StartsWith($"run 1: {Path.GetFileName(path)}: ", lines[0]);
        Assert.Matches(new Regex(@"; details: llmpipe runs 1 --details; (warnings: none|\d+ warnings?: llmpipe warnings --run 1 \([a-z_, ]+\))$"), lines[^2]);
    }
}
