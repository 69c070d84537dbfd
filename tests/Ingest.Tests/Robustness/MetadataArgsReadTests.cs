using System.Text;
using System.Text.Json;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>
/// <c>args.labels</c> / <c>args.name</c> (process_labels / process_name metadata, docs/messy-traces.md, B29) are decoded the
/// same way by the fast scanner and the validating parser.
/// </summary>
public sealed class MetadataArgsReadTests
{
    private sealed class LabelSink : ITraceEventSink
    {
        public List<string> Seen { get; } = [];
        public void OnEvent(ref TraceEvent e)
        {
            if (e.ArgLabels.IsEmpty && e.ArgName.IsEmpty) return;
            Seen.Add($"{e.ByteOffset}|{(char)e.Ph}|{e.Pid}|{Encoding.UTF8.GetString(e.Name)}|{Encoding.UTF8.GetString(e.ArgLabels)}|{Encoding.UTF8.GetString(e.ArgName)}");
        }
        public void OnMetadata(string key, JsonElement value) { }
        public void OnWarning(WarningKind kind, long byteOffset, string detail) { }
    }

    private static List<string> Read(byte[] bytes, bool fast)
    {
        var sink = new LabelSink();
        new TraceReader(new TraceReaderOptions { DisableFastPath = !fast }).Read(new MemoryStream(bytes), "t.json", sink);
        return sink.Seen;
    }

    [Fact]
    public void Read_args_labels_and_name_are_decoded_by_both_parsers_alike()
    {
        var json = """
            {"traceEvents":[
            {"ph":"M","name":"process_labels","pid":2,"tid":0,"args":{"labels":"GPU 0"}},
            {"ph":"M","name":"process_name","pid":2,"tid":0,"args":{"name":"python3 \u00e9"}},
            {"ph":"M","name":"thread_name","pid":2,"tid":0,"args":{"name":7}},
            {"ph":"X","cat":"kernel","name":"k","pid":2,"tid":0,"ts":1,"dur":1,"args":{"stream":0}}
            ]}
            """;
        var bytes = Encoding.UTF8.GetBytes(json);
        var slow = Read(bytes, fast: false);
        int At(string name) => Ingested.Offset(json, $"{{\"ph\":\"M\",\"name\":\"{name}\"");
        Assert.Equal([$"{At("process_labels")}|M|2|process_labels|GPU 0|", $"{At("process_name")}|M|2|process_name||python3 é", $"{At("thread_name")}|M|2|thread_name||7"], slow);
        Assert.Equal(slow, Read(bytes, fast: true));
    }

    [SkippableFact]
    [Trait("Category", "Corpus")]
    public void Read_args_labels_and_name_agree_between_parsers_on_every_shared_trace()
    {
        Skip.IfNot(SharedData.Available, $"skipped: {Path.Combine(SharedData.SharedDir, "traces")} not found (the ../shared folder beside the repository is absent)");
        var files = Directory.GetFiles(Path.Combine(SharedData.SharedDir, "traces"), "*.json*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length < 8_000_000).ToList();
        var labelled = 0;
        foreach (var file in files)
        {
            using var a = TraceInput.Open(file);
            var fast = new LabelSink();
            new TraceReader(new TraceReaderOptions()).Read(a, file, fast);
            using var b = TraceInput.Open(file);
            var slow = new LabelSink();
            new TraceReader(new TraceReaderOptions { DisableFastPath = true }).Read(b, file, slow);
            Assert.Equal(slow.Seen, fast.Seen);
            labelled += slow.Seen.Count(s => s.Contains("|process_labels|GPU ", StringComparison.Ordinal));
        }
        Assert.True(labelled > 0, "no shared trace has a process_labels 'GPU N' event");
    }
}
