using System.IO.Compression;
using System.Text;
using LlmPipeline.Ingest.Tests.Robustness;
using Xunit;

namespace LlmPipeline.Ingest.Tests.FieldProblems;

/// <summary>
/// Field problems the product already handled when they were reported, kept as regression tests through the full
/// ingest: <c>displayTimeUnit</c> (google/perfetto#983), <c>gpu_user_annotation</c> spans on the kernel rows
/// (HolisticTraceAnalysis#8), multi-member gzip with header extras (google/perfetto#872) and GPU-only traces
/// (ray-project/ray#56366). Driver-API launches are in <see cref="StreamAndLaunchIngestTests"/>.
/// </summary>
public sealed class KeptBehaviourIngestTests
{
    private static Ingested Ingest(FieldTrace t) => StreamAndLaunchIngestTests.Ingest(t);

    private static readonly string[] BaselinePasses = ["0|4|decode|30|30", "1|4|decode|31|31", "2|4|decode|32|32"];
    private const string PassesSql = "SELECT pass_idx, layer_count, phase, batch_size, token_count FROM passes ORDER BY pass_idx";

    [Theory]
    [InlineData("\"displayTimeUnit\": \"ns\", ", "", "\"ns\"")]
    [InlineData("\"displayTimeUnit\": \"ms\", ", "", "\"ms\"")]
    [InlineData("", ", \"displayTimeUnit\": \"ns\"", "\"ns\"")]
    public void B46_displayTimeUnit_is_display_only_and_kept_as_metadata(string header, string trailer, string stored)
    {
        using var x = Ingest(new FieldTrace { Header = header, Trailer = trailer });
        // 40 kernels of 8 µs, 10 µs apart: a pass is 39 × 10 + 8 = 398 µs; 120 × 8 µs = 960 000 ns of kernels.
        Assert.Equal(["0|398", "1|398", "2|398"], x.Rows("SELECT pass_idx, wall_us FROM passes ORDER BY pass_idx"));
        Assert.Equal(960_000L, x.Scalar<long>("SELECT sum(dur_ns) FROM kernels"));
        Assert.Equal(stored, x.Scalar<string>("SELECT value FROM trace_metadata WHERE key = 'displayTimeUnit'"));
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Empty(x.WarningKinds());
    }

    [Fact]
    public void B47_gpu_user_annotation_spans_on_the_kernel_row_are_never_kernels()
    {
        using var x = Ingest(new FieldTrace { GpuUserAnnotations = true });
        Assert.Equal(120L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(15L, x.Scalar<long>("SELECT count(*) FROM annotations WHERE cat = 'gpu_user_annotation'"));
        // busy = the 40 kernels' 320 µs (no annotation counted as GPU time), phases and batch sizes as the baseline.
        Assert.Equal(["0|398|320|320", "1|398|320|320", "2|398|320|320"], x.Rows("SELECT pass_idx, wall_us, busy_us, sum_us FROM passes ORDER BY pass_idx"));
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Empty(x.WarningKinds());
    }

    [Fact]
    public void B48_gzip_of_many_members_with_FEXTRA_headers_is_read_whole()
    {
        var json = new FieldTrace { Passes = 40 }.Bytes();
        var members = new List<byte>();
        var count = 0;
        for (var at = 0; at < json.Length; at += 64 * 1024, count++)
            members.AddRange(Member(json.AsSpan(at, Math.Min(64 * 1024, json.Length - at))));
        Assert.True(count >= 10, $"{count} members");
        using var x = Ingested.Bytes([.. members], "mgzip.json.gz", numLayers: 4);
        Assert.Equal(1600L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(40L, x.Scalar<long>("SELECT count(*) FROM passes WHERE layer_count = 4"));
        Assert.Equal((long)json.Length, x.Scalar<long>("SELECT json_bytes FROM runs"));
        Assert.Empty(x.WarningKinds());
    }

    [Fact]
    public void B50_a_GPU_only_trace_is_segmented_from_its_kernels_with_one_note_and_phases_from_kernel_signatures()
    {
        using var x = Ingest(new FieldTrace { CpuSide = false });
        Assert.Equal(0L, x.Scalar<long>("SELECT count(*) FROM launches"));
        Assert.Equal(["0|4|decode|null|null", "1|4|decode|null|null", "2|4|decode|null|null"], x.Rows(PassesSql));
        Assert.Equal(["kernel 'paged_attention_v2_kernel'"], x.Rows("SELECT DISTINCT phase_source FROM passes"));
        Assert.Equal(["external_id_without_cpu_op"], x.WarningKinds());
        Assert.Equal(120L, x.Warning("external_id_without_cpu_op")!.Value.Count);
        Assert.Contains("the trace was recorded without CPU operators", x.WarningDetail("external_id_without_cpu_op"));
    }

    /// <summary>One gzip member as a parallel compressor writes it: FLG.FEXTRA with an <c>IG</c> subfield holding the member's compressed size.</summary>
    private static byte[] Member(ReadOnlySpan<byte> data)
    {
        var deflated = new MemoryStream();
        using (var d = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true)) d.Write(data);
        var body = deflated.ToArray();
        var m = new List<byte> { 0x1f, 0x8b, 8, 0x04, 0, 0, 0, 0, 0, 255, 8, 0, (byte)'I', (byte)'G', 4, 0 };
        m.AddRange(BitConverter.GetBytes(body.Length + 26));
        m.AddRange(body);
        m.AddRange(BitConverter.GetBytes(Crc32(data)));
        m.AddRange(BitConverter.GetBytes(data.Length));
        return [.. m];
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
