using LlmPipeline.Ingest.Reading;
using LlmPipeline.TestSupport;
using Xunit;
using static LlmPipeline.Ingest.Tests.Reading.ReadHelper;

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
    public void Read_fast_path_equals_validating_parser_on_every_shared_trace()
    {
        Skip.IfNot(SharedData.Available, "the ../shared folder is absent");
        foreach (var file in Directory.GetFiles(Path.Combine(SharedData.SharedDir, "traces"), "*.json*", SearchOption.AllDirectories))
        {
            var fast = ReadFile(file, fast: true);
            var slow = ReadFile(file, fast: false);
            Assert.Equal(slow.Events.Count, fast.Events.Count);
            for (int i = 0; i < slow.Events.Count; i++)
                Assert.True(slow.Events[i] == fast.Events[i], $"{file}: event {i}\n{slow.Events[i]}\n{fast.Events[i]}");
            Assert.Equal(slow.Warnings, fast.Warnings);
        }
    }

    [Theory]
    [InlineData("{\"ph\":\"X\",\"name\":\"a\",\"args\":{\"x\":[1, true, null],\"y\":{\"z\":\"\\u00e9\"},\"grid\":[1, 2 ,3]}}")]
    [InlineData("{\"ph\":\"X\",\"name\":\"a\\tb\",\"pid\":\"7\",\"tid\":\"\",\"args\":{\"correlation\":1.0}}")]
    [InlineData("{ \"ph\" : \"i\" , \"ts\" : 1e3 , \"dur\": -0.5, \"id\": 5, \"args\" : { } }")]
    [InlineData("{\"ph\":\"X\",\"args\":{\"Input Dims\":[[\"a b\", 2], []],\"a\":[1,],\"bytes\":-3}}")]
    [InlineData("{\"ph\":\"X\",\"name\":\"m\",\"args\":{\"a\":[1}}}")]
    [InlineData("{\"ph\":\"X\",\"name\":\"m\",\"args\":{\"a\":[{\"b\":[2]}],\"c\":{\"d\":[]}}}")]
    public void Read_fast_path_equals_validating_parser_on_unusual_events(string ev)
    {
        var json = $"[{ev},{Kernel(1)}]";
        var fast = Read(json);
        var slow = Read(json, new TraceReaderOptions { DisableFastPath = true });
        Assert.Equal(slow.Sink.Events, fast.Sink.Events);
        Assert.Equal(slow.Sink.Warnings, fast.Sink.Warnings);
    }
}
