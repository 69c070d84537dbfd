using System.Text;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.TestSupport;
using Xunit;
using static LlmPipeline.Ingest.Tests.Reading.ReadHelper;

namespace LlmPipeline.Ingest.Tests.Reading;

public class TraceInputTests
{
    private static (RecordingSink Sink, TraceReadSummary Summary) ReadFile(string path)
    {
        var sink = new RecordingSink();
        using var stream = TraceInput.Open(path);
        return (sink, new TraceReader().Read(stream, path, sink));
    }

    [Fact]
    public void Open_reads_every_member_of_multi_member_gzip()
    {
        using var dir = new TempDir();
        var json = $"{{\"traceEvents\":[{Kernel(1)},{Kernel(2)},{Kernel(3)}],\"traceName\":\"m\"}}";
        int half = json.Length / 2;
        var path = dir.File("trace.json.gz");
        File.WriteAllBytes(path, [.. Gzip(json[..half]), .. Gzip(json[half..])]);
        var (sink, summary) = ReadFile(path);
        Assert.Equal([1L, 2L, 3L], sink.Events.Select(e => e.Correlation!.Value));
        Assert.Equal(json.Length, summary.JsonBytes);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void Open_detects_gzip_by_magic_bytes_not_suffix()
    {
        using var dir = new TempDir();
        var plainNamedGz = dir.File("plain.json.gz");
        var gzNamedJson = dir.File("packed.json");
        File.WriteAllText(plainNamedGz, $"[{Kernel(1)}]");
        File.WriteAllBytes(gzNamedJson, Gzip($"[{Kernel(2)}]"));
        Assert.Equal(1L, ReadFile(plainNamedGz).Sink.Events.Single().Correlation);
        Assert.Equal(2L, ReadFile(gzNamedJson).Sink.Events.Single().Correlation);
    }

    [Fact]
    public void Open_throws_distinct_error_for_empty_gzip()
    {
        using var dir = new TempDir();
        var empty = dir.File("empty.json.gz");
        var blank = dir.File("blank.json.gz");
        // What `gzip < /dev/null` writes: a header, an empty final deflate block, CRC32 0 and size 0.
        File.WriteAllBytes(empty, [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
        File.WriteAllBytes(blank, Gzip("  \n\t "));
        foreach (var path in new[] { empty, blank })
        {
            var ex = Assert.Throws<TraceFormatException>(() => TraceInput.Open(path));
            Assert.Equal($"{path}: byte 0 (line 1, column 1): empty trace after decompression", ex.Message);
        }
    }

    [Fact]
    public void Open_throws_for_empty_plain_file()
    {
        using var dir = new TempDir();
        var path = dir.File("empty.json");
        File.WriteAllBytes(path, []);
        var ex = Assert.Throws<TraceFormatException>(() => TraceInput.Open(path));
        Assert.Contains("empty trace", ex.Problem);
    }

    [Fact]
    public void Open_throws_file_not_found_naming_the_file()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => TraceInput.Open("/nonexistent/dir/trace.json.gz"));
        Assert.Equal("Trace file not found: /nonexistent/dir/trace.json.gz", ex.Message);
    }

    [Fact]
    public void Read_throws_naming_file_and_offset_for_binary_gzip_content()
    {
        using var dir = new TempDir();
        var path = dir.File("noise.json.gz");
        File.WriteAllBytes(path, Gzip([0x00, 0xFF, 0x10, 0x20]));
        var ex = Assert.Throws<TraceFormatException>(() => ReadFile(path));
        Assert.Equal((path, 0L), (ex.FilePath, ex.ByteOffset));
        Assert.StartsWith($"{path}: byte 0 (line 1, column 1): not a JSON trace", ex.Message);
    }

    [Fact]
    public void Open_throws_trace_format_error_for_corrupt_gzip_header()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.json.gz");
        File.WriteAllBytes(path, [0x1F, 0x8B, 0x01, 0x02, 0x03, 0x04, 0x05]);
        var ex = Assert.Throws<TraceFormatException>(() => TraceInput.Open(path));
        Assert.Contains("corrupt gzip data", ex.Problem);
    }

    [Fact]
    public void Read_salvages_truncated_gzip()
    {
        using var dir = new TempDir();
        var json = "{\"traceEvents\":[" + string.Join(",", Enumerable.Range(1, 5000).Select(i => Kernel(i))) + "]}";
        var packed = Gzip(json);
        var path = dir.File("cut.json.gz");
        File.WriteAllBytes(path, packed[..(packed.Length / 2)]);
        var (sink, summary) = ReadFile(path);
        Assert.True(summary.Truncated);
        Assert.InRange(sink.Events.Count, 1, 4999);
        Assert.Equal(Enumerable.Range(1, sink.Events.Count).Select(i => (long)i), sink.Events.Select(e => e.Correlation!.Value));
        Assert.Contains("truncated_file", sink.WarningKinds);
    }

    [Fact]
    public void Open_repairs_control_characters_in_gzip_trace()
    {
        using var dir = new TempDir();
        byte[] doc = [.. Encoding.UTF8.GetBytes($"[{Kernel(1)},{{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\"a"), 0x01, 0xF0, 0x28, 0x8C, 0x28,
            .. Encoding.UTF8.GetBytes($"\"}},{Kernel(2)}]")];
        var path = dir.File("b05.json.gz");
        File.WriteAllBytes(path, Gzip(doc));
        var (sink, _) = ReadFile(path);
        Assert.Equal(2, sink.Count(EventCategory.Kernel));
        Assert.Equal("a \uFFFD(\uFFFD(", sink.Events[1].Name);
        Assert.Equal(["control_character", "invalid_utf8"], sink.WarningKinds);
    }
}
