using System.IO.Compression;
using System.Text;
using LlmPipeline.Ingest.Reading;

namespace LlmPipeline.Ingest.Tests.Reading;

/// <summary>Runs the reader over inline test inputs.</summary>
internal static class ReadHelper
{
    public static (RecordingSink Sink, TraceReadSummary Summary) Read(string json, TraceReaderOptions? options = null) =>
        Read(Encoding.UTF8.GetBytes(json), options);

    public static (RecordingSink Sink, TraceReadSummary Summary) Read(byte[] bytes, TraceReaderOptions? options = null)
    {
        var sink = new RecordingSink();
        var summary = new TraceReader(options).Read(new MemoryStream(bytes, false), "t.json", sink);
        return (sink, summary);
    }

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    public static byte[] Gzip(string text) => Gzip(Encoding.UTF8.GetBytes(text));

    /// <summary>A kernel event with the given name and correlation, in Kineto's layout.</summary>
    public static string Kernel(int correlation, string name = "k") =>
        $"{{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"{name}\",\"pid\":0,\"tid\":7,\"ts\":{100 + correlation}.5,\"dur\":2,\"args\":{{\"device\":0,\"stream\":7,\"correlation\":{correlation}}}}}";
}
