using LlmPipeline.Query.Tests.Approvals;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.Query.Tests.Toolbox;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>
/// Every report's default <c>table</c> fits 100 columns (docs/reports.md, 'Tables that fit') on the shipped sample
/// and on the eight real LLM traces of ../shared, whatever the terminal: the CLI runs in-process, with no terminal and
/// no COLUMNS. The links listed below a table (<c>[1] https://…</c>) are whole by design and not counted.
/// </summary>
public sealed class TableWidthTests(SampleDatabaseFixture sample) : IClassFixture<SampleDatabaseFixture>
{
    private const int MaxWidth = 100;

    /// <summary>The reports of one run, with <c>{run}</c> for its id.</summary>
    private static readonly string[] RunReports =
    [
        "runs", "timeline", "windows", "anchors --run {run}", "warnings --run {run}", "layers --run {run}",
        "clusters --run {run}", "kernels --run {run} --layer 0", "top --run {run}", "top --run {run} --by category",
        "perfetto --run {run}", "perfetto --run {run} --pass {pass} --layers 0", "efficiency --run {run}",
        "efficiency --run {run} --by layer-type", "efficiency --run {run} --by kernel", "compare --run {run},{run}",
        "compare --run {run},{run} --by layer", "compare --run {run},{run} --by kernel",
    ];

    [Fact]
    public void Every_report_fits_100_columns_on_the_sample()
    {
        var lines = ReportApprovalTests.Reports().Cast<object[]>().Select(r => (string)r[0])
            .Select(c => (c, Llmpipe.Run(ReportApprovalTests.Args(c, sample.Path))));
        Assert.Empty(TooWide(lines));
    }

    [SkippableTheory]
    [Trait("Category", "Corpus")]
    [InlineData("llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz")]
    [InlineData("tracelens/b200/eager_trace.json.gz")]
    [InlineData("tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz")]
    [InlineData("tracelens/inference/sglang_prefilldecode/sglang_Qwen3-8B_prefilldecode.json.gz")]
    [InlineData("tracelens/inference/vllm_decode_full/graph_execution.json.gz")]
    [InlineData("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz")]
    [InlineData("tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz")]
    [InlineData("tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz")]
    public void Every_report_fits_100_columns_on_a_real_llm_trace(string trace)
    {
        var path = SharedData.RequireTrace(trace);
        using var dir = new TempDir();
        var db = dir.File("real.db");
        var ingest = Llmpipe.Run("ingest", path, "--db", db, "--quiet");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        var pass = Llmpipe.SqlCsv(db, "SELECT MAX(pass_idx) AS p FROM passes WHERE run_id = 1 AND is_partial = 0")[0]["p"];
        var lines = RunReports.Select(c => c.Replace("{run}", "1", StringComparison.Ordinal).Replace("{pass}", pass, StringComparison.Ordinal))
            .Select(c => (c, Llmpipe.Run([.. c.Split(' '), "--db", db])));
        Assert.Empty(TooWide(lines));
    }

    /// <summary>"command: width: line" for each stdout line over 100 characters (a failed command is one too).</summary>
    private static List<string> TooWide(IEnumerable<(string Command, CliResult Result)> runs)
    {
        var wide = new List<string>();
        foreach (var (command, r) in runs)
        {
            if (r.ExitCode != 0) wide.Add($"{command}: exit {r.ExitCode}: {r.Stderr}");
            wide.AddRange(r.Stdout.Split('\n')
                .Where(l => l.Length > MaxWidth && !IsLink(l))
                .Select(l => $"{command}: {l.Length}: {l}"));
        }
        return wide;
    }

    /// <summary>A link listed below a table: <c>[3] https://…</c>.</summary>
    private static bool IsLink(string line) =>
        System.Text.RegularExpressions.Regex.IsMatch(line, @"^\[\d+\] https?://\S+$");
}
