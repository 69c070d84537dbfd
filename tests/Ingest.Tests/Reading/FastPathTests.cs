using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.TestSupport;
using static LlmPipeline.Ingest.Tests.Reading.ReadHelper;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Reading;

/// <summary>The fast event scanner must deliver exactly what the validating Utf8JsonReader parser delivers.</summary>
public class FastPathTests
{
    private static RecordingSink ReadFile(string path, bool fast)
    {
        var sink = new RecordingSink();
        using var stream = TraceInput.Open(path);
        new TraceReader(new TraceReaderOptions { DisableFastPath = !fast }).Read(stream, path, sink);
        return sink;
    }

    [SkippableFact]
    [Trait("Category", "Corpus")]
    public void Read_fast_path_equals_validating_parser_on_every_shared_trace()
    {
        Skip.IfNot(SharedData.Available, $"skipped: {Path.Combine(SharedData.SharedDir, "traces")} not found (the ../shared folder beside the repository is absent)");
        var files = Directory.GetFiles(Path.Combine(SharedData.SharedDir, "traces"), "*.json*", SearchOption.AllDirectories);
        Assert.Equal(23, files.Length); // traces/MANIFEST.md: an empty or partial folder must not pass
        long events = 0;
        foreach (var file in files)
        {
            var fast = ReadFile(file, fast: true);
            var slow = ReadFile(file, fast: false);
            Assert.Equal(slow.Events.Count, fast.Events.Count);
            for (int i = 0; i < slow.Events.Count; i++)
                Assert.True(slow.Events[i] == fast.Events[i], $"{file}: event {i}\n{slow.Events[i]}\n{fast.Events[i]}");
            Assert.Equal(slow.Warnings, fast.Warnings);
            events += fast.Events.Count;
        }
        Assert.Equal(630293L, events); // every event of the 23 traces compared (RealTraceTests: the same total)
    }

    [Theory]
    [InlineData("{\"ph\":\"X\",\"name\":\"a\",\"args\":{\"x\":[1, true, null],\"y\":{\"z\":\"\\u00e9\"},\"grid\":[1, 2 ,3]}}")]
    [InlineData("{\"ph\":\"X\",\"name\":\"a\\tb\",\"pid\":\"7\",\"tid\":\"\",\"args\":{\"correlation\":1.0}}")]
    [InlineData("{ \"ph\" : \"i\" , \"ts\" : 1e3 , \"dur\": -0.5, \"id\": 5, \"args\" : { } }")]
    [InlineData("{\"ph\":\"X\",\"args\":{\"Input Dims\":[[\"a b\", 2], []],\"a\":[1,],\"bytes\":-3}}")]
    [InlineData("{\"ph\":\"X\",\"name\":\"m\",\"args\":{\"a\":[1}}}")]
    [InlineData("{\"ph\":\"X\",\"name\":\"m\",\"args\":{\"a\":[{\"b\":[2]}],\"c\":{\"d\":[]}}}")]
    [InlineData("{\"ph\":\"X\",\"cat\":\"kernel\",\"tid\":139888158577200,\"args\":{\"sycl queue\":64,\"l0 queue\":\"0x55\",\"stream\":139888158577200}}")]
    [InlineData("{\"ph\":\"X\",\"cat\":\"kernel\",\"tid\":\"0x7f3a40001230\",\"args\":{\"stream\":\"0x7f3a40001230\",\"sycl queue\":\"0x40\"}}")]
    public void Read_fast_path_equals_validating_parser_on_unusual_events(string ev)
    {
        var json = $"[{ev},{Kernel(1)}]";
        var fast = Read(json);
        var slow = Read(json, new TraceReaderOptions { DisableFastPath = true });
        Assert.Equal(slow.Sink.Events, fast.Sink.Events);
        Assert.Equal(slow.Sink.Warnings, fast.Sink.Warnings);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(97)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    public void Read_single_pass_equals_validating_parser_whatever_the_buffer_size(int bufferSize)
    {
        // Events decoded in place, events split by a refill (framed first), an unusual event and a
        // missing comma: the same events and warnings as the validating parser, at every buffer size.
        var events = Enumerable.Range(1, 60).Select(i => i % 17 == 0 ? $"{{\"ph\":\"X\",\"name\":\"a\\tb{i}\",\"ts\":{i}}}" : Kernel(i)).ToList();
        var json = "[" + string.Join(",", events.Take(30)) + " " + string.Join(",", events.Skip(30)) + "]";
        var fast = Read(json, new TraceReaderOptions { BufferSize = bufferSize });
        var slow = Read(json, new TraceReaderOptions { BufferSize = bufferSize, DisableFastPath = true });
        Assert.Equal(60, fast.Sink.Events.Count);
        Assert.Equal(slow.Sink.Events, fast.Sink.Events);
        Assert.Equal(slow.Sink.Warnings, fast.Sink.Warnings);
        Assert.Contains(WarningCatalog.MissingComma.Code, fast.Sink.WarningKinds);
    }

    [Fact]
    public void Read_single_pass_compacts_input_dims_longer_than_its_scratch_space()
    {
        // Two spaced Input Dims in one event, each compacting to more than the scanner's first 4 kB of scratch.
        var dims = "[" + string.Join(", ", Enumerable.Range(0, 1200).Select(i => $"[{i}, 2]")) + "]";
        var compact = dims.Replace(" ", "");
        var ev = $"{{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"aten::mm\",\"ts\":1,\"dur\":2,\"args\":{{\"Input Dims\":{dims},\"grid\":{dims}}}}}";
        var fast = Read($"[{ev},{Kernel(1)}]");
        var slow = Read($"[{ev},{Kernel(1)}]", new TraceReaderOptions { DisableFastPath = true });
        Assert.True(compact.Length > 4096);
        Assert.Equal(slow.Sink.Events, fast.Sink.Events);
        Assert.Equal(compact, fast.Sink.Events[0].InputDims);
        Assert.Equal(compact, fast.Sink.Events[0].Grid);
    }
}
