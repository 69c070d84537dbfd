using System.Text;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Reading;
using Xunit;
using static LlmPipeline.Ingest.Tests.Reading.ReadHelper;

namespace LlmPipeline.Ingest.Tests.Reading;

public class TraceReaderTests
{
    [Fact]
    public void Read_keeps_exact_nanoseconds_for_epoch_ts()
    {
        var (sink, _) = Read("{\"traceEvents\":[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"ts\":1712195495519695.8,\"dur\":1.2345}]}");
        var e = Assert.Single(sink.Events);
        Assert.Equal(1712195495519695800L, e.TsNs);
        Assert.Equal(1235L, e.DurNs); // 1234.5 ns rounds half away from zero
        Assert.Empty(sink.Warnings);
    }

    [Theory]
    [InlineData("0.0004", 0L)]
    [InlineData("0.0005", 1L)]
    [InlineData("-1.0005", -1001L)]
    [InlineData("-660.0", -660000L)]
    [InlineData("1.5e3", 1500000L)]
    [InlineData("2E-3", 2L)]
    [InlineData("12", 12000L)]
    [InlineData("10.123456789", 10123L)]
    [InlineData("9223372036854775.807", 9223372036854775807L)]
    public void Read_parses_ts_decimal_text_exactly(string ts, long expectedNs)
    {
        var (sink, _) = Read($"[{{\"ph\":\"i\",\"name\":\"m\",\"ts\":{ts}}}]");
        Assert.Equal(expectedNs, Assert.Single(sink.Events).TsNs);
    }

    [Fact]
    public void Read_warns_and_leaves_out_ts_beyond_int64_nanoseconds()
    {
        var (sink, _) = Read("[{\"ph\":\"i\",\"name\":\"m\",\"ts\":9223372036854775.808}]");
        Assert.Null(Assert.Single(sink.Events).TsNs);
        Assert.Equal(["number_out_of_range"], sink.WarningKinds);
    }

    [Fact]
    public void Read_accepts_numeric_strings_for_ts_dur_and_id_reporting_once()
    {
        var (sink, _) = Read("[{\"ph\":\"X\",\"name\":\"a\",\"ts\":\"1747100000123456.789\",\"dur\":\"3.2\"},"
            + "{\"ph\":\"s\",\"name\":\"f\",\"id\":\"17471000001234567\",\"ts\":\"5\"}]");
        Assert.Equal(1747100000123456789L, sink.Events[0].TsNs);
        Assert.Equal(3200L, sink.Events[0].DurNs);
        Assert.Equal(17471000001234567L, sink.Events[1].Id);
        Assert.Equal(5000L, sink.Events[1].TsNs);
        Assert.Equal(["numeric_string"], sink.WarningKinds);
    }

    [Fact]
    public void Read_accepts_trailing_comma_in_top_level_array()
    {
        var (sink, summary) = Read($"[{Kernel(1)},{Kernel(2)},]");
        Assert.Equal([1L, 2L], sink.Events.Select(e => e.Correlation!.Value));
        var w = Assert.Single(sink.Warnings);
        Assert.Equal("trailing_comma", w.Kind);
        Assert.Equal(1 + Kernel(1).Length + 1 + Kernel(2).Length, w.Offset);
        Assert.False(summary.Truncated);
    }

    [Fact]
    public void Read_accepts_trailing_commas_in_object_and_events_array()
    {
        var (sink, _) = Read($"{{\"traceEvents\":[{Kernel(1)},{Kernel(2)},], \"traceName\":\"t.json\",}}");
        Assert.Equal(2, sink.Events.Count);
        Assert.Equal(["trailing_comma", "trailing_comma"], sink.WarningKinds);
        Assert.Equal([("traceName", "\"t.json\"")], sink.Metadata);
    }

    [Fact]
    public void Read_repairs_trailing_comma_inside_an_event()
    {
        var (sink, _) = Read("[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"a\",\"args\":{\"stream\":7,},}]");
        var e = Assert.Single(sink.Events);
        Assert.Equal(7L, e.Stream);
        Assert.Equal(["trailing_comma"], sink.WarningKinds);
    }

    [Fact]
    public void Read_keeps_events_of_unclosed_top_level_array()
    {
        var json = $"[{Kernel(1)},\n{Kernel(2)}\n";
        var (sink, summary) = Read(json);
        Assert.Equal(2, sink.Events.Count);
        var w = Assert.Single(sink.Warnings);
        Assert.Equal("unclosed_array", w.Kind);
        Assert.Equal(json.Length, w.Offset);
        Assert.True(summary.TopLevelArray);
        Assert.False(summary.Truncated);
    }

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(16)]
    public void Read_keeps_every_complete_event_when_truncated_anywhere(int bufferSize)
    {
        string[] events = [Kernel(1), Kernel(2), Kernel(3)];
        var json = "{\"traceEvents\":[" + string.Join(",", events) + "],\"traceName\":\"x\"}";
        var ends = new List<int>();
        int pos = "{\"traceEvents\":[".Length;
        foreach (var e in events)
        {
            ends.Add(pos + e.Length);
            pos += e.Length + 1;
        }
        for (int cut = 1; cut < json.Length; cut++)
        {
            var (sink, summary) = Read(json[..cut], new TraceReaderOptions { BufferSize = bufferSize });
            Assert.True(summary.Truncated, $"cut {cut}");
            Assert.Equal(ends.Count(end => end <= cut), sink.Events.Count);
            var w = Assert.Single(sink.Warnings);
            Assert.Equal("truncated_file", w.Kind);
            Assert.Equal(cut, w.Offset);
        }
    }

    [Fact]
    public void Read_gives_same_metadata_before_and_after_events()
    {
        const string meta = "\"deviceProperties\":[{\"id\":0,\"name\":\"H100\"}],\"baseTimeNanoseconds\":1700000000000000000,\"distributedInfo\":{\"rank\":1}";
        var (before, _) = Read($"{{{meta},\"traceEvents\":[{Kernel(1)}],\"traceName\":\"a\"}}");
        var (after, _) = Read($"{{\"traceEvents\":[{Kernel(1)}],{meta},\"traceName\":\"a\"}}");
        Assert.Equal(before.Metadata.OrderBy(m => m.Key), after.Metadata.OrderBy(m => m.Key));
        Assert.Equal(4, before.Metadata.Count);
        Assert.Contains(("baseTimeNanoseconds", "1700000000000000000"), before.Metadata);
        Assert.Contains(("deviceProperties", "[{\"id\":0,\"name\":\"H100\"}]"), after.Metadata);
        Assert.Equal(before.Events.Single() with { ByteOffset = 0 }, after.Events.Single() with { ByteOffset = 0 });
    }

    [Fact]
    public void Read_reads_top_level_array_with_event_offsets()
    {
        var (sink, summary) = Read($"[{Kernel(1)}, {Kernel(2)}]");
        Assert.True(summary.TopLevelArray);
        Assert.Equal([1L, 1L + Kernel(1).Length + 2], sink.Events.Select(e => e.ByteOffset));
        Assert.Empty(sink.Metadata);
        Assert.Equal(2, summary.EventCount);
    }

    [Fact]
    public void Read_decodes_kernel_fields()
    {
        var (sink, _) = Read("{\"traceEvents\":[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"void gemm<\\\"x\\\">\",\"pid\":0,\"tid\":7,"
            + "\"ts\":10.5,\"dur\":2.25,\"args\":{\"External id\":31,\"device\":1,\"stream\":7,\"correlation\":42,"
            + "\"grid\":[5556, 1, 1],\"block\":[128,1,1],\"Comms Id\":18446744073709551615}}]}");
        var e = Assert.Single(sink.Events);
        Assert.Equal(new SeenEvent(16, 'X', EventCategory.Kernel, "kernel", "void gemm<\"x\">", 10500, 2250, 0, "", 7, "", null,
            1, 7, 42, 31, "[5556,1,1]", "[128,1,1]", "", null), e);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void Read_decodes_cpu_op_input_dims_and_legacy_external_id()
    {
        var (sink, _) = Read("[{\"ph\":\"X\",\"cat\":\"Operator\",\"name\":\"aten::mm\",\"args\":{\"Input Dims\": [[4096, 4096], []], \"external id\": 9}},"
            + "{\"ph\":\"X\",\"cat\":\"gpu_memcpy\",\"name\":\"Memcpy HtoD\",\"args\":{\"bytes\":1048576,\"grid\":\"[5556, 1, 1]\"}}]");
        Assert.Equal(EventCategory.CpuOp, sink.Events[0].Category);
        Assert.Equal("[[4096,4096],[]]", sink.Events[0].InputDims);
        Assert.Equal(9L, sink.Events[0].ExternalId);
        Assert.Equal(1048576L, sink.Events[1].Bytes);
        Assert.Equal("[5556, 1, 1]", sink.Events[1].Grid);
    }

    [Theory]
    [InlineData("kernel", EventCategory.Kernel)]
    [InlineData("Kernel", EventCategory.Kernel)]
    [InlineData("KERNEL", EventCategory.Kernel)]
    [InlineData("Runtime", EventCategory.CudaRuntime)]
    [InlineData("cuda_runtime", EventCategory.CudaRuntime)]
    [InlineData("Memcpy", EventCategory.GpuMemcpy)]
    [InlineData("Memset", EventCategory.GpuMemset)]
    [InlineData("gpu_memset", EventCategory.GpuMemset)]
    [InlineData("Operator", EventCategory.CpuOp)]
    [InlineData("user_annotation", EventCategory.UserAnnotation)]
    [InlineData("gpu_user_annotation", EventCategory.GpuUserAnnotation)]
    [InlineData("cuda_driver", EventCategory.CudaDriver)]
    [InlineData("python_function", EventCategory.PythonFunction)]
    [InlineData("ac2g", EventCategory.Flow)]
    [InlineData("async", EventCategory.Flow)]
    [InlineData("async_gpu", EventCategory.Flow)]
    [InlineData("async_cpu_to_gpu", EventCategory.Flow)]
    [InlineData("fwdbwd", EventCategory.Flow)]
    [InlineData("Trace", EventCategory.Trace)]
    [InlineData("cpu_instant_event", EventCategory.Other)]
    [InlineData("foo,Kernel", EventCategory.Kernel)]
    [InlineData("foo, gpu_memcpy,kernel", EventCategory.GpuMemcpy)]
    [InlineData("", EventCategory.Other)]
    public void Read_normalizes_category(string cat, EventCategory expected)
    {
        var (sink, _) = Read($"[{{\"ph\":\"X\",\"cat\":\"{cat}\",\"name\":\"n\"}}]");
        var e = Assert.Single(sink.Events);
        Assert.Equal(expected, e.Category);
        Assert.Equal(cat, e.Cat);
    }

    [Fact]
    public void Read_keeps_pid_and_tid_strings()
    {
        var (sink, _) = Read("[{\"ph\":\"M\",\"name\":\"a\",\"pid\":\"Spans\",\"tid\":\"PyTorch Profiler\"},"
            + "{\"ph\":\"X\",\"cat\":\"Kernel\",\"name\":\"b\",\"pid\":\"12\",\"tid\":\"stream 7\"},"
            + "{\"ph\":\"i\",\"name\":\"c\",\"pid\":\"\",\"tid\":4093687616}]");
        Assert.Equal((null, "Spans", null, "PyTorch Profiler"), (sink.Events[0].Pid, sink.Events[0].PidText, sink.Events[0].Tid, sink.Events[0].TidText));
        Assert.Equal((12L, "", null, "stream 7"), (sink.Events[1].Pid, sink.Events[1].PidText, sink.Events[1].Tid, sink.Events[1].TidText));
        Assert.Equal((null, "", 4093687616L, ""), (sink.Events[2].Pid, sink.Events[2].PidText, sink.Events[2].Tid, sink.Events[2].TidText));
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void Read_warns_when_needed_arg_exceeds_int64()
    {
        var (sink, _) = Read("[{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"args\":{\"correlation\":18446744073709551615,\"stream\":7}}]");
        var e = Assert.Single(sink.Events);
        Assert.Null(e.Correlation);
        Assert.Equal(7L, e.Stream);
        Assert.Equal(["number_out_of_range"], sink.WarningKinds);
    }

    [Theory]
    [InlineData("inf")]
    [InlineData("-inf")]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Read_maps_non_standard_numbers_in_args_to_null(string token)
    {
        var json = "[{\"ph\":\"X\",\"cat\":\"Memcpy\",\"name\":\"Memcpy HtoD (Pageable -> Device)\",\"pid\":0,\"tid\":\"stream 7\","
            + $"\"ts\":1614800519473220,\"dur\":0,\"args\":{{\"bytes\":200,\"memory bandwidth (GB/s)\": {token}}}}}]";
        var (sink, _) = Read(json);
        var e = Assert.Single(sink.Events);
        Assert.Equal(EventCategory.GpuMemcpy, e.Category);
        Assert.Equal(200L, e.Bytes);
        Assert.Equal(1614800519473220000L, e.TsNs);
        Assert.Equal(0L, e.DurNs);
        Assert.Equal("stream 7", e.TidText);
        var w = Assert.Single(sink.Warnings);
        Assert.Equal("non_standard_number", w.Kind);
        Assert.Equal(json.IndexOf(token, StringComparison.Ordinal), w.Offset);
    }

    [Fact]
    public void Read_skips_event_with_inf_ts()
    {
        var (sink, summary) = Read($"[{Kernel(1)},{{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"ts\":inf}},{Kernel(2)}]");
        Assert.Equal([1L, 2L], sink.Events.Select(e => e.Correlation!.Value));
        Assert.Equal(["malformed_event_skipped"], sink.WarningKinds);
        Assert.Equal(1, summary.SkippedEventCount);
    }

    [Fact]
    public void Read_fills_missing_member_value_with_null()
    {
        var (sink, _) = Read("[{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"record_param_comms\",\"args\":{\"Process Group Description\": ,\"External id\":5}}]");
        Assert.Equal(5L, Assert.Single(sink.Events).ExternalId);
        Assert.Equal(["missing_value"], sink.WarningKinds);
    }

    [Fact]
    public void Read_skips_empty_event_with_warning()
    {
        var json = $"[{Kernel(1)},{{}},{{\"name\":\"no phase\"}}]";
        var (sink, summary) = Read(json);
        Assert.Equal(1, summary.EventCount);
        Assert.Equal(2, summary.SkippedEventCount);
        Assert.Equal(["empty_event", "empty_event"], sink.WarningKinds);
        Assert.Equal(json.IndexOf("{}", StringComparison.Ordinal), sink.Warnings[0].Offset);
    }

    [Fact]
    public void Read_skips_event_with_unescaped_quotes_and_keeps_the_rest()
    {
        var bad = "{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\"{\"device\": \"cpu\", \"dtype\": \"float32\"}(12): run\",\"pid\":1,\"tid\":1,\"ts\":5,\"dur\":1}";
        var (sink, summary) = Read($"{{\"traceEvents\":[{Kernel(1)},{bad},{Kernel(2)}],\"traceName\":\"q\"}}");
        Assert.Equal([1L, 2L], sink.Events.Select(e => e.Correlation!.Value));
        Assert.Equal(["malformed_event_skipped"], sink.WarningKinds);
        Assert.Equal(1, summary.SkippedEventCount);
        Assert.Equal([("traceName", "\"q\"")], sink.Metadata);
    }

    [Fact]
    public void Read_resynchronizes_after_odd_unescaped_quote()
    {
        var bad = "{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\"say \"hi\",\"pid\":1}";
        var (sink, _) = Read($"{{\"traceEvents\":[{Kernel(1)},{bad},{Kernel(2)},{Kernel(3)}]}}");
        Assert.Equal([1L, 2L, 3L], sink.Events.Select(e => e.Correlation!.Value));
        Assert.Contains("malformed_event_skipped", sink.WarningKinds);
    }

    [Fact]
    public void Read_repairs_control_character_and_invalid_utf8_without_touching_kernels()
    {
        byte[] Doc(byte[] name) => [
            .. Encoding.UTF8.GetBytes($"[{Kernel(1)},{{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\""),
            .. name,
            .. Encoding.UTF8.GetBytes($"\",\"ts\":1,\"dur\":1}},{Kernel(2)}]")];
        var (dirty, _) = Read(Doc([(byte)'a', 0x01, (byte)'b', 0xF0, 0x28, 0x8C, 0x28, (byte)'c']));
        var (clean, _) = Read(Doc("a b?(?(c"u8.ToArray()));
        Assert.Equal("a b\uFFFD(\uFFFD(c", dirty.Events[1].Name);
        Assert.Equal(clean.Events.Where(e => e.Category == EventCategory.Kernel), dirty.Events.Where(e => e.Category == EventCategory.Kernel));
        Assert.Equal(["control_character", "invalid_utf8"], dirty.WarningKinds);
        int nameAt = 1 + Kernel(1).Length + 1 + "{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\"".Length;
        Assert.Equal([nameAt + 1, nameAt + 3], dirty.Warnings.Select(w => w.Offset));
    }

    [Fact]
    public void Read_replaces_invalid_utf8_in_name_on_fast_path()
    {
        byte[] doc = [.. "[{\"ph\":\"X\",\"name\":\"x"u8, 0xC3, 0x28, .. "\"}]"u8];
        var (sink, _) = Read(doc);
        Assert.Equal("x\uFFFD(", Assert.Single(sink.Events).Name);
        Assert.Equal(["invalid_utf8"], sink.WarningKinds);
    }

    [Fact]
    public void Read_keeps_windows_backslashes_literally()
    {
        var (sink, _) = Read($"[{Kernel(1)},{{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\"torch\\cuda\\__init__.py(219): _lazy_init\"}},{Kernel(2)}]");
        Assert.Equal("torch\\cuda\\__init__.py(219): _lazy_init", sink.Events[1].Name);
        Assert.Equal([1L, 2L], sink.Events.Where(e => e.Category == EventCategory.Kernel).Select(e => e.Correlation!.Value));
        Assert.Equal(["invalid_escape"], sink.WarningKinds);
    }

    [Fact]
    public void Read_unescapes_escaped_names()
    {
        var (sink, _) = Read("[{\"ph\":\"X\",\"name\":\"a\\\"b\\\\c\\u00e9\\n\"}]");
        Assert.Equal("a\"b\\c\u00e9\n", Assert.Single(sink.Events).Name);
    }

    [Fact]
    public void Read_same_events_with_tiny_buffer()
    {
        var json = "{\"schemaVersion\":1,\"traceEvents\":[" + string.Join(",\n  ", Enumerable.Range(1, 50).Select(i => Kernel(i, new string('n', i * 7)))) + "],\"traceName\":\"z\"}";
        var (big, _) = Read(json);
        var (tiny, summary) = Read(json, new TraceReaderOptions { BufferSize = 16 });
        Assert.Equal(50, big.Events.Count);
        Assert.Equal(big.Events, tiny.Events);
        Assert.Equal(big.Metadata, tiny.Metadata);
        Assert.Equal(json.Length, summary.JsonBytes);
    }

    [Fact]
    public void Read_warns_about_trailing_data()
    {
        var (sink, _) = Read($"[{Kernel(1)}] x");
        Assert.Single(sink.Events);
        var w = Assert.Single(sink.Warnings);
        Assert.Equal(("trailing_data", 2L + Kernel(1).Length + 1), (w.Kind, w.Offset));
    }

    [Theory]
    [InlineData("hello", 0L, 1L, 1L)]
    [InlineData("\n\n  hello", 4L, 3L, 3L)]
    [InlineData("\u0001\u0002binary", 0L, 1L, 1L)]
    public void Read_throws_for_data_that_is_not_json(string text, long offset, long line, long column)
    {
        var ex = Assert.Throws<TraceFormatException>(() => Read(text));
        Assert.Equal(("t.json", offset, line, column), (ex.FilePath, ex.ByteOffset, ex.Line, ex.Column));
        Assert.StartsWith($"t.json: byte {offset} (line {line}, column {column}): not a JSON trace", ex.Message);
    }

    [Fact]
    public void Read_throws_in_lenient_mode_for_broken_top_level_before_events()
    {
        var ex = Assert.Throws<TraceFormatException>(() => Read("{\"a\" 1, \"traceEvents\":[]}"));
        Assert.Equal(5L, ex.ByteOffset);
    }

    [Fact]
    public void Read_throws_for_empty_stream()
    {
        var ex = Assert.Throws<TraceFormatException>(() => Read("  \n "));
        Assert.Contains("empty trace", ex.Message);
    }

    [Fact]
    public void Read_strict_throws_at_trailing_comma_with_line_and_column()
    {
        var json = "{\"traceEvents\":[\n" + Kernel(1) + ",\n" + Kernel(2) + ",\n]}";
        var ex = Assert.Throws<TraceFormatException>(() => Read(json, new TraceReaderOptions { Strict = true }));
        Assert.Equal(json.LastIndexOf(','), ex.ByteOffset);
        Assert.Equal(3L, ex.Line);
        Assert.Equal(Kernel(2).Length + 1L, ex.Column);
        Assert.Contains("trailing_comma", ex.Message);
    }

    [Fact]
    public void Read_strict_throws_at_offending_byte_of_malformed_event()
    {
        var json = "[\n{\"ph\":\"X\",\n \"name\":\"a\",\n \"args\":{\"x\": inf}}]";
        var ex = Assert.Throws<TraceFormatException>(() => Read(json, new TraceReaderOptions { Strict = true }));
        Assert.Equal(json.IndexOf("inf", StringComparison.Ordinal), ex.ByteOffset);
        Assert.Equal(4L, ex.Line);
        Assert.Equal(" \"args\":{\"x\": ".Length + 1L, ex.Column);
    }

    [Fact]
    public void Read_strict_refuses_repairs_but_keeps_notices_as_the_catalogue_severity_says()
    {
        // numeric_string, empty_event and number_out_of_range are notices (info, degraded): strict mode reads on.
        var (sink, _) = Read("[{\"ph\":\"X\",\"name\":\"a\",\"ts\":\"5\",\"dur\":1},{},{\"ph\":\"i\",\"name\":\"m\",\"ts\":9223372036854775.808}]",
            new TraceReaderOptions { Strict = true });
        Assert.Equal(["numeric_string", "empty_event", "number_out_of_range"], sink.WarningKinds);
        Assert.All(sink.WarningKinds, k => Assert.NotEqual(WarningSeverity.Repair, WarningCatalog.Find(k)!.Severity));
        // Two events without a comma between them is a repair: strict mode refuses it.
        var ex = Assert.Throws<TraceFormatException>(() => Read($"[{Kernel(1)}{Kernel(2)}]", new TraceReaderOptions { Strict = true }));
        Assert.Contains("(missing_comma; strict mode)", ex.Message);
        Assert.Equal(WarningSeverity.Repair, WarningCatalog.MissingComma.Severity);
    }

    [Fact]
    public void Read_strict_throws_on_truncation()
    {
        var ex = Assert.Throws<TraceFormatException>(() => Read($"{{\"traceEvents\":[{Kernel(1)},{{\"ph\"", new TraceReaderOptions { Strict = true }));
        Assert.Contains("truncated_file", ex.Message);
    }

    [Fact]
    public void Read_reports_progress_every_four_mebibytes_or_more()
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, 60000).Select(i => Kernel(i, new string('x', 100)))) + "]";
        var bytes = Encoding.UTF8.GetBytes(json);
        var seen = new List<long>();
        new TraceReader(new TraceReaderOptions { BufferSize = 1 << 16 }).Read(new MemoryStream(bytes), "p.json", new RecordingSink(false), seen.Add);
        Assert.Equal(bytes.Length, seen[^1]);
        Assert.True(seen.Count >= 2 && seen.Count <= bytes.Length / (4 << 20) + 2, $"{seen.Count} calls for {bytes.Length} bytes");
        Assert.Equal(seen.Order(), seen);
    }
}
