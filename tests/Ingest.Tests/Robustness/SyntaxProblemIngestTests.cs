using System.Text;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Reading;
using static LlmPipeline.Ingest.Tests.Robustness.Ingested;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>docs/messy-traces.md, 'JSON syntax and encoding' (B02–B08), each minimal input through the full ingest.</summary>
public sealed class SyntaxProblemIngestTests
{
    private static readonly string K1 = Kernel("gemm_a", "1000.5", "2", 1);
    private static readonly string K2 = Kernel("gemm_b", "1010", "3.25", 2);

    [Fact]
    public void Ingest_B02_trailing_comma_in_a_top_level_array_keeps_both_kernels_and_counts_the_repair()
    {
        var json = "[" + K1 + "," + K2 + ",]";
        using var x = Json(json);
        Assert.Equal(["1000500|2000", "1010000|3250"], x.Rows("SELECT ts_ns, dur_ns FROM kernels ORDER BY kernel_idx"));
        Assert.Equal((1L, (long?)Offset(json, ",]")), x.Warning(WarningCatalog.TrailingComma));
    }

    [Fact]
    public void Ingest_B02_trailing_commas_in_the_event_array_and_top_level_object_keep_events_and_metadata()
    {
        var json = "{\"traceEvents\":[" + K1 + "," + K2 + ",], \"traceName\":\"t.json\",}";
        using var x = Json(json);
        Assert.Equal(2L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal("\"t.json\"", x.Scalar<string>("SELECT value FROM trace_metadata WHERE key = 'traceName'"));
        Assert.Equal((2L, (long?)Offset(json, ",]")), x.Warning(WarningCatalog.TrailingComma));
    }

    [Fact]
    public void Ingest_B02_strict_mode_names_file_line_column_and_offset()
    {
        var json = "{\"traceEvents\":[\n" + K1 + ",\n" + K2 + ",\n]}";
        var ex = Assert.IsType<TraceFormatException>(Failure(Encoding.UTF8.GetBytes(json), "trail.json", strict: true));
        Assert.Equal(Offset(json, ",\n]"), ex.ByteOffset);
        Assert.Equal(3, ex.Line);
        Assert.Equal(K2.Length + 1, ex.Column);
        Assert.Contains("trail.json", ex.Message);
        Assert.Contains("line 3", ex.Message);
    }

    private static readonly string PyQuoted =
        "{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\"{\"device\": \"cpu\", \"dtype\": \"float32\"}(12): run\",\"pid\":100,\"tid\":100,\"ts\":1005,\"dur\":1}";

    [Fact]
    public void Ingest_B03_unescaped_quotes_in_a_name_skip_only_that_event()
    {
        var json = Trace(K1, PyQuoted, K2);
        using var x = Json(json);
        Assert.Equal(["gemm_a", "gemm_b"], x.Rows("SELECT n.name FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx"));
        var w = x.Warning(WarningCatalog.MalformedEventSkipped);
        Assert.NotNull(w);
        Assert.Equal(1L, w.Value.Count);
        Assert.InRange(w.Value.Offset!.Value, Offset(json, PyQuoted), Offset(json, PyQuoted) + PyQuoted.Length);
        Assert.Equal(2L, x.Scalar<long>("SELECT event_count FROM runs"));
    }

    [Fact]
    public void Ingest_B03_strict_mode_error_names_file_line_column_and_offset_inside_the_broken_event()
    {
        var json = Trace(K1, PyQuoted, K2);
        var ex = Assert.IsType<TraceFormatException>(Failure(Encoding.UTF8.GetBytes(json), "quotes.json", strict: true));
        var start = Offset(json, PyQuoted);
        Assert.InRange(ex.ByteOffset, start, start + PyQuoted.Length);
        Assert.Equal(2, ex.Line);
        Assert.Equal(ex.ByteOffset - start + 1, ex.Column);
        Assert.Contains($"starts at byte {start}", ex.Message);
        Assert.Contains("quotes.json", ex.Message);
    }

    [Fact]
    public void Ingest_B03_broken_info_member_after_trace_events_keeps_every_event_and_drops_only_that_member()
    {
        var json = "{\"traceEvents\":[" + K1 + "," + K2 + "], \"INFO\": [\"profiler log \"event_id\": 64 done\"], \"traceName\": \"x\"}";
        using var x = Json(json);
        Assert.Equal(2L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        // The member is skipped up to the next top-level key, at the offset of its value; the reader goes on, so the
        // members after it are kept and nothing counts as trailing data.
        Assert.Equal((1L, (long?)Offset(json, "[\"profiler")), x.Warning(WarningCatalog.MetadataMemberSkipped));
        Assert.Null(x.Warning(WarningCatalog.TrailingData));
        Assert.Equal(0L, x.Scalar<long>("SELECT count(*) FROM trace_metadata WHERE key = 'INFO'"));
        Assert.Equal("\"x\"", x.Scalar<string>("SELECT value FROM trace_metadata WHERE key = 'traceName'"));
    }

    [Fact]
    public void Ingest_B03_key_missing_its_opening_quote_skips_that_event()
    {
        var broken = "{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"aten::mm\",\"pid\":100,tid\": 0,\"ts\":1003,\"dur\":1}";
        using var x = Json(Trace(K1, broken, K2));
        Assert.Equal(2L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(1L, x.Warning(WarningCatalog.MalformedEventSkipped)!.Value.Count);
    }

    [Fact]
    public void Ingest_B04_windows_path_backslashes_are_kept_literally_and_kernels_are_unaffected()
    {
        var py = "{\"ph\":\"X\",\"cat\":\"user_annotation\",\"name\":\"torch\\cuda\\__init__.py(219): _lazy_init\",\"pid\":100,\"tid\":100,\"ts\":1001,\"dur\":1}";
        var json = Trace(K1, py, K2);
        using var x = Json(json);
        Assert.Equal("torch\\cuda\\__init__.py(219): _lazy_init", x.Scalar<string>("SELECT name FROM annotations"));
        Assert.Equal(["1000500|2000", "1010000|3250"], x.Rows("SELECT ts_ns, dur_ns FROM kernels ORDER BY kernel_idx"));
        Assert.Equal((1L, (long?)Offset(json, "\\cuda")), x.Warning(WarningCatalog.InvalidEscape));
    }

    private static byte[] ControlAndUtf8Trace(bool dirty)
    {
        var head = Encoding.UTF8.GetBytes("{\"traceEvents\":[" + K1 + ",{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\"inductor");
        byte[] middle = dirty ? [0x01, (byte)'c', 0xF0, 0x28, 0x8C, 0x28] : "_c_(_("u8.ToArray();
        var tail = Encoding.UTF8.GetBytes("cfg\",\"pid\":100,\"tid\":100,\"ts\":1003,\"dur\":1}," + K2 + "]}");
        return [.. head, .. middle, .. tail];
    }

    private const string KernelStats = "SELECT count(*) || '|' || sum(dur_ns) || '|' || min(ts_ns) || '|' || group_concat(category) FROM kernels";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ingest_B05_control_bytes_and_invalid_utf8_are_repaired_and_kernel_stats_equal_the_clean_file(bool gzip)
    {
        var dirty = ControlAndUtf8Trace(true);
        var at = Encoding.UTF8.GetByteCount("{\"traceEvents\":[" + K1 + ",{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\"inductor");
        using var clean = Bytes(ControlAndUtf8Trace(false));
        using var x = gzip ? Bytes(Gzip(dirty), "t.json.gz") : Bytes(dirty);
        Assert.Equal(clean.Scalar<string>(KernelStats), x.Scalar<string>(KernelStats));
        Assert.Equal(["2|5250|1000500"], x.Rows("SELECT count(*), sum(dur_ns), min(ts_ns) FROM kernels"));
        Assert.Equal((1L, (long?)at), x.Warning(WarningCatalog.ControlCharacter));
        Assert.Equal((1L, (long?)(at + 2)), x.Warning(WarningCatalog.InvalidUtf8));
    }

    [Theory]
    [InlineData("inf")]
    [InlineData("-inf")]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Ingest_B06_non_standard_number_in_args_becomes_null_and_the_memcpy_is_kept(string token)
    {
        var memcpy = "{\"ph\":\"X\",\"cat\":\"Memcpy\",\"name\":\"Memcpy HtoD (Pageable -> Device)\",\"pid\":0,\"tid\":\"stream 7\",\"ts\":1614800519473220,\"dur\":0,\"args\":{\"bytes\":200,\"memory bandwidth (GB/s)\": " + token + "}}";
        var json = Trace(memcpy);
        using var x = Json(json);
        Assert.Equal(["0|7|1614800519473220000|0|memcpy|200"], x.Rows("SELECT device, stream, ts_ns, dur_ns, kind, bytes FROM memory_ops"));
        Assert.Equal((1L, (long?)Offset(json, token + "}}")), x.Warning(WarningCatalog.NonStandardNumber));
    }

    [Theory]
    [InlineData("\"ts\":inf", "\"dur\":2")]
    [InlineData("\"ts\":1005", "\"dur\":NaN")]
    public void Ingest_B06_non_standard_number_in_ts_or_dur_drops_the_event_and_counts_it(string ts, string dur)
    {
        var bad = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"bad\",\"pid\":0,\"tid\":7," + ts + "," + dur + ",\"args\":{\"device\":0,\"stream\":7}}";
        using var x = Json(Trace(K1, bad, K2));
        Assert.Equal(["gemm_a", "gemm_b"], x.Rows("SELECT n.name FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx"));
        Assert.Equal(1L, x.Warning(WarningCatalog.MalformedEventSkipped)!.Value.Count);
    }

    [Fact]
    public void Ingest_B07_integer_beyond_int64_in_args_keeps_the_kernel_and_its_correlation()
    {
        var k = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"ncclDevKernel_AllReduce_Sum_bf16_RING_LL\",\"pid\":0,\"tid\":7,\"ts\":1000,\"dur\":4,\"args\":{\"device\":0,\"stream\":7,\"Comms Id\": 18446744073709551615, \"correlation\": 42}}";
        using var x = Json(Trace(k));
        Assert.Equal(["42|1000000|4000"], x.Rows("SELECT correlation, ts_ns, dur_ns FROM kernels"));
        Assert.DoesNotContain(x.WarningKinds(), kind => kind == WarningCatalog.NumberOutOfRange.Code || kind == WarningCatalog.MalformedEventSkipped.Code);
    }

    [Fact]
    public void Ingest_B08_empty_object_at_the_end_is_skipped_and_counted()
    {
        var json = Trace(K1, K2, "{}");
        using var x = Json(json);
        Assert.Equal(2L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal((1L, (long?)Offset(json, "{}")), x.Warning(WarningCatalog.EmptyEvent));
        Assert.Equal(2L, x.Scalar<long>("SELECT event_count FROM runs"));
    }
}
