using LlmPipeline.Query.Tests.Support;
using LlmPipeline.Query.Tests.Toolbox;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Query.Tests.Approvals;

/// <summary>
/// The default <c>table</c> output of every report on the shipped sample (tests/data/sglang_qwen3_8b_decode, ingested
/// twice as runs 1 and 2: <see cref="SampleDatabaseFixture"/>), and the <c>--help</c> of every command, each pinned by
/// an approved copy in <c>Approved/</c>. Only stdout is pinned: it holds no timing and no path (runs shows the file
/// name, not its folder). After an intended change of an output, approve the new text as README.md in this folder
/// says (in short: run these tests, read the <c>.received.txt</c> files, rename them to <c>.approved.txt</c>).
/// <c>skew</c> needs a capture of several ranks, which the sample is not: its table is pinned on a generated 2-rank
/// capture (TraceGen, no jitter, so the same bytes on every machine).
/// </summary>
public sealed class ReportApprovalTests(SampleDatabaseFixture sample) : IClassFixture<SampleDatabaseFixture>
{
    /// <summary>Every report command line on the sample, as it is typed (the approved file's name comes from it).</summary>
    public static TheoryData<string> Reports() => new()
    {
        "runs",
        "timeline",
        "windows",
        "anchors --run 1",
        "warnings --run 1",
        "warnings --kinds",
        "profiles list",
        "layers --run 1",
        "clusters --run 1",
        "kernels --run 1 --layer 0",
        "top --run 1",
        "top --run 1 --by category",
        "perfetto --run 1",
        "perfetto --run 1 --pass 0 --layers 0,35",
        "efficiency --run 1",
        "efficiency --run 1 --by layer-type",
        "compare --run 1,2",
        "compare --run 1,2 --by layer",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public void Default_table_of_each_report_is_approved(string commandLine)
    {
        var r = Llmpipe.Run(Args(commandLine, sample.Path));
        Assert.True(r.ExitCode == 0, r.Stderr);
        ApprovedText.Verify("report." + FileName(commandLine), r.Stdout);
    }

    [Fact]
    public void Default_table_of_skew_on_a_generated_two_rank_capture_is_approved()
    {
        using var dir = new TempDir();
        var traces = Path.Combine(dir.Path, "capture");
        var spec = new TraceSpec
        {
            Shape = TraceShape.Generic, NumLayers = 4, Passes = 3, WorldSize = 2, IncludeCpuSide = false,
            JitterFraction = 0, KernelGapUs = 0,
        };
        // rank 1 runs 10 % slower than rank 0
        TraceWriter.WriteRankFiles(spec, traces, gzip: true, new Dictionary<int, double> { [1] = 1.1 });
        var db = dir.File("skew.db");
        var ingest = Llmpipe.Run("ingest", traces, "--num-layers", "4", "--db", db, "--quiet");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        var r = Llmpipe.Run("skew", "--capture", "1", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        ApprovedText.Verify("report.skew_capture_1", r.Stdout);
    }

    [Theory]
    [MemberData(nameof(HelpTests.AllCommands), MemberType = typeof(HelpTests))]
    public void Help_of_each_command_is_approved(string command)
    {
        var r = Llmpipe.Run([.. Words(command), "--help"]);
        Assert.Equal(0, r.ExitCode);
        // In tests the program is the test host; System.CommandLine names the root command after it.
        ApprovedText.Verify("help." + (command.Length == 0 ? "llmpipe" : FileName(command)), r.Stdout.Replace("testhost", "llmpipe", StringComparison.Ordinal));
    }

    /// <summary>The arguments of <paramref name="commandLine"/> on database <paramref name="db"/> (<c>profiles</c> reads none).</summary>
    public static string[] Args(string commandLine, string db) =>
        commandLine.StartsWith("profiles", StringComparison.Ordinal) ? Words(commandLine) : [.. Words(commandLine), "--db", db];

    private static string[] Words(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary><c>perfetto --run 1 --layers 0,35</c> → <c>perfetto_run_1_layers_0,35</c>.</summary>
    private static string FileName(string commandLine) =>
        string.Join('_', Words(commandLine).Select(w => w.TrimStart('-')));
}
