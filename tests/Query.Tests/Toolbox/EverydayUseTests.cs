using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Commands.Ingest;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>Everyday use (issue 8): progress formatting, progress only on a terminal (an example in every --help: <see cref="HelpTests"/>).</summary>
public sealed class EverydayUseTests
{
    [Fact]
    public void Line_shows_megabytes_percent_rate_and_eta()
    {
        // 250 MB of a 1,000 MB file read in 10 s: 750 MB left at 25 MB/s of file = 30 s; 2,000 MB of JSON in 10 s = 200 MB/s.
        var line = TerminalProgress.Line("t.json.gz", new IngestProgress("reading", 2_000_000_000, 250_000_000, 1_000_000_000), 10_000);
        Assert.Equal("\rt.json.gz: reading    250.0 MB  25.0%    200.0 MB/s  ETA 0:30   ", line);
    }

    [Fact]
    public void Line_has_no_eta_before_a_second_or_without_a_file_size()
    {
        Assert.DoesNotContain("ETA", TerminalProgress.Line("t", new IngestProgress("reading", 10, 10, 100), 500));
        Assert.DoesNotContain("ETA", TerminalProgress.Line("t", new IngestProgress("reading", 10, 10, 0), 5_000));
        Assert.Contains("ETA 1:01:40", TerminalProgress.Line("t", new IngestProgress("reading", 1, 1_000_000, 101_000_000), 37_000));
    }

    [Fact]
    public void Ingest_writes_no_progress_when_stderr_is_not_a_terminal_or_with_quiet()
    {
        var trace = SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz");
        using var dir = new TempDir();
        foreach (var (terminal, extra) in new[] { (false, Array.Empty<string>()), (true, ["--quiet"]) })
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = LlmpipeCli.Run(["ingest", trace, "--db", dir.File($"p{terminal}.db"), .. extra], stdout, stderr, stderrIsTerminal: terminal);
            Assert.Equal(0, code);
            Assert.DoesNotContain("MB/s", stderr.ToString());
            Assert.DoesNotContain("\r", stderr.ToString());
        }
    }
}
