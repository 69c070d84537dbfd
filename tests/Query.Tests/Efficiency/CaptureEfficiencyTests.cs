using System.IO.Compression;
using System.Text;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Efficiency;

/// <summary>
/// A multi-rank capture's MFU / MBU (view pass_efficiency_by_capture): the ranks' work summed, over the slowest rank's
/// wall, against all their GPUs' peaks. Two ranks of the shipped SGLang step (rank 1 the same events, its file one byte
/// longer, so it is not "already present").
/// </summary>
[Trait("Category", "Slow")]
public sealed class CaptureEfficiencyTests
{
    [Fact]
    public void A_capture_sums_its_ranks_work_over_the_slowest_wall_against_all_their_peaks()
    {
        using var dir = new TempDir();
        var sample = SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz");
        var folder = Directory.CreateDirectory(dir.File("step")).FullName;
        foreach (var capture in Directory.GetFiles(Path.Combine(Path.GetDirectoryName(sample)!, "capture_traces")))
        {
            Directory.CreateDirectory(Path.Combine(folder, "capture_traces"));
            File.Copy(capture, Path.Combine(folder, "capture_traces", Path.GetFileName(capture)));
        }
        File.Copy(sample, Path.Combine(folder, "decode-TP-0.trace.json.gz"));
        string json;
        using (var gz = new GZipStream(File.OpenRead(sample), CompressionMode.Decompress))
        using (var reader = new StreamReader(gz, Encoding.UTF8))
            json = reader.ReadToEnd();
        using (var gz = new GZipStream(File.Create(Path.Combine(folder, "decode-TP-1.trace.json.gz")), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(json + "\n"));
        var db = dir.File("capture.db");
        var ingest = Llmpipe.Run("ingest", Path.Combine(folder, "decode-TP-0.trace.json.gz"), Path.Combine(folder, "decode-TP-1.trace.json.gz"),
            "--config", SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/config.json"), "--db", db, "--quiet");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);

        var ranks = Parse.Csv(Llmpipe.Run("sql", "SELECT run_id, flops, bytes, wall_us, peak_tflops, peak_gbps FROM pass_efficiency ORDER BY run_id",
            "--format", "csv", "--db", db).Stdout);
        Assert.Equal(2, ranks.Count);
        var row = Parse.Csv(Llmpipe.Run("sql", "SELECT * FROM pass_efficiency_by_capture", "--format", "csv", "--db", db).Stdout).Single();
        Assert.Equal("2", row["ranks"]);
        Assert.Equal(ranks.Sum(r => long.Parse(r["flops"])).ToString(), row["flops"]);
        Assert.Equal(ranks.Sum(r => long.Parse(r["bytes"])).ToString(), row["bytes"]);
        var slowest = ranks.Max(r => Parse.D(r["wall_us"]));
        Assert.Equal(slowest, Parse.D(row["slowest_wall_us"]), 9);
        Assert.Equal(2 * 1307.4, Parse.D(row["peak_tflops"]), 6); // two MI300X, bf16
        var flops = ranks.Sum(r => long.Parse(r["flops"]));
        Assert.Equal(100.0 * flops / (slowest * 1e6) / (2 * 1307.4), Parse.D(row["mfu_pct"]), 9);
        var bytes = ranks.Sum(r => long.Parse(r["bytes"]));
        Assert.Equal(100.0 * bytes / (slowest * 1e3) / (2 * Parse.D(ranks[0]["peak_gbps"])), Parse.D(row["mbu_pct"]), 9);
        // The same step on two identical GPUs: the capture's MFU is each rank's at the slowest wall (3.5 %).
        Assert.InRange(Parse.D(row["mfu_pct"]), 3.0, 4.0);
    }
}
