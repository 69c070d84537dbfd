using System.Text;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Reading;
using static LlmPipeline.Ingest.Tests.Robustness.Ingested;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>docs/messy-traces.md, 'Size, containers and missing content' (B09–B12), each through the full ingest.</summary>
public sealed class ContainerProblemIngestTests
{
    private static string Kernels(int n, int firstCorrelation = 1) =>
        Trace(Enumerable.Range(firstCorrelation, n).Select(i => Kernel("k" + i, (1000 + i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "2", i)).ToArray());

    [Fact]
    public void Ingest_B10a_gzip_with_an_empty_payload_fails_with_a_distinct_message()
    {
        // A complete gzip member (header, empty deflate block, CRC 0, size 0) whose payload is 0 bytes.
        byte[] emptyGzip = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
        var ex = Assert.IsType<TraceFormatException>(Failure(emptyGzip, "TP-0.trace.json.gz"));
        Assert.Contains("empty trace after decompression", ex.Message);
        Assert.Contains("TP-0.trace.json.gz", ex.Message);
    }

    [Fact]
    public void Ingest_B10b_two_concatenated_gzip_members_deliver_every_event()
    {
        var json = Encoding.UTF8.GetBytes(Kernels(20));
        var half = json.Length / 2;
        using var x = Bytes([.. Gzip(json[..half]), .. Gzip(json[half..])], "t.json.gz");
        Assert.Equal(20L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(json.Length, x.Scalar<long>("SELECT json_bytes FROM runs"));
        Assert.DoesNotContain(x.WarningKinds(), k => k == WarningCatalog.GzipTruncated.Code || k == WarningCatalog.TruncatedFile.Code);
    }

    [Fact]
    public void Ingest_B10c_gzip_bytes_named_json_are_detected_by_magic_bytes()
    {
        using var x = Bytes(Gzip(Encoding.UTF8.GetBytes(Kernels(5))), "x.json");
        Assert.Equal(5L, x.Scalar<long>("SELECT count(*) FROM kernels"));
    }

    [Fact]
    public void Ingest_B10d_plain_json_named_json_gz_is_read_as_plain_json()
    {
        using var x = Json(Kernels(5), "x.json.gz");
        Assert.Equal(5L, x.Scalar<long>("SELECT count(*) FROM kernels"));
    }

    [Fact]
    public void Ingest_B10_corrupt_deflate_data_fails_instead_of_storing_the_garbage_before_the_error()
    {
        var gz = Gzip(Encoding.UTF8.GetBytes(Kernels(3000)));
        for (var i = 0; i < 40; i++) gz[gz.Length / 2 + i] ^= 0x5A; // bad bits mid-stream; the file length is intact
        var ex = Assert.IsType<TraceFormatException>(Failure(gz, "corrupt.json.gz"));
        Assert.Contains("corrupt.json.gz", ex.Message);
        Assert.Contains("the gzip data is corrupt (invalid deflate data or checksum, found after reading ", ex.Message);
        Assert.DoesNotContain("unsupported compression method", ex.Message); // .NET's words for zlib's data error
        Assert.Contains("nothing was stored", ex.Message);
        Assert.True(ex.ByteOffset > 0, ex.Message);
    }

    [Fact]
    public void Ingest_B10e_truncated_gzip_salvages_every_complete_event()
    {
        var json = Encoding.UTF8.GetBytes(Kernels(200));
        var gz = Gzip(json);
        using var x = Bytes(gz[..(gz.Length * 2 / 3)], "cut.json.gz");
        var kept = x.Scalar<long>("SELECT count(*) FROM kernels");
        var read = x.Scalar<long>("SELECT json_bytes FROM runs");
        // Every kernel event ends with "}}": count the events that lie completely inside the decompressed bytes.
        var prefix = Encoding.UTF8.GetString(json[..(int)read]);
        var complete = prefix.Split("}}").Length - 1;
        Assert.Equal(complete, kept);
        Assert.True(kept > 0 && kept < 200);
        Assert.Equal((1L, (long?)read), x.Warning(WarningCatalog.TruncatedFile));
    }

    private static string LaunchTrace(int kernelsFrom)
    {
        var events = new List<string>();
        for (var c = 1; c <= 20; c++)
        {
            events.Add(CpuOp("aten::mm", (1000 + c * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "5", c + 5000));
            events.Add(Launch(c, (1001 + c * 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (c >= kernelsFrom) events.Add(Kernel("k" + c, (1003 + c * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "2", c));
        }
        return Trace([.. events]);
    }

    [Fact]
    public void Ingest_B11a_no_kernels_succeeds_and_reports_zero_launch_coverage()
    {
        using var x = Json(LaunchTrace(kernelsFrom: 21));
        Assert.Equal(0L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(0L, x.Scalar<long>("SELECT kernel_count FROM runs"));
        Assert.Equal(20L, x.Scalar<long>("SELECT count(*) FROM launches"));
        Assert.NotNull(x.Warning("no_gpu_kernels"));
        var w = x.Warning("launches_without_kernel");
        Assert.Equal(20L, w!.Value.Count);
        Assert.Contains("launch coverage 0/20 (0%)", x.WarningDetail("launches_without_kernel"));
        Assert.Equal(0L, x.Scalar<long>("SELECT count(*) FROM passes"));
    }

    [Fact]
    public void Ingest_B11b_partial_kernels_report_launch_coverage_and_the_first_unmatched_correlations()
    {
        using var x = Json(LaunchTrace(kernelsFrom: 11));
        Assert.Equal(10L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(10L, x.Warning("launches_without_kernel")!.Value.Count);
        var detail = x.WarningDetail("launches_without_kernel");
        Assert.Contains("launch coverage 10/20 (50%)", detail);
        Assert.Contains("1, 2, 3, 4, 5, 6, 7, 8, 9, 10", detail);
        Assert.Null(x.Warning("no_gpu_kernels"));
        Assert.Contains("launches_without_kernel", x.Outcome.Summary);
    }

    [Fact]
    public void Ingest_B11_full_coverage_adds_no_coverage_warning()
    {
        using var x = Json(LaunchTrace(kernelsFrom: 1));
        Assert.Equal(20L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Null(x.Warning("launches_without_kernel"));
    }

    private const string Meta = "\"deviceProperties\":[{\"id\":0,\"name\":\"NVIDIA H100\"}],\"distributedInfo\":{\"rank\":1,\"world_size\":2},\"baseTimeNanoseconds\":1700000000000000000";

    [Fact]
    public void Ingest_B12_metadata_before_or_after_trace_events_gives_identical_database_content()
    {
        var events = "[" + Kernel("gemm_a", "10.5", "2", 1) + "," + Kernel("gemm_b", "20", "2", 2) + "]";
        using var a = Json("{" + Meta + ",\"traceEvents\":" + events + "}");
        using var b = Json("{\"traceEvents\":" + events + "," + Meta + ",\"traceName\":\"t.json\"}");
        const string runCols = "SELECT gpu_name, rank, world_size, base_time_ns, trace_start_ns, trace_end_ns, kernel_count, event_count FROM runs";
        Assert.Equal(["NVIDIA H100|1|2|1700000000000000000|10500|22000|2|2"], a.Rows(runCols));
        Assert.Equal(a.Rows(runCols), b.Rows(runCols));
        foreach (var q in new[] { "SELECT * FROM kernels ORDER BY kernel_idx", "SELECT * FROM kernel_names", "SELECT kind, count FROM ingest_warnings ORDER BY kind" })
            Assert.Equal(a.Rows(q), b.Rows(q));
        Assert.Equal(a.Rows("SELECT key, value FROM trace_metadata ORDER BY key"),
            b.Rows("SELECT key, value FROM trace_metadata WHERE key <> 'traceName' ORDER BY key"));
        Assert.Equal(3L, a.Scalar<long>("SELECT count(*) FROM trace_metadata"));
    }
}
