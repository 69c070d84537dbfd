using System.Globalization;
using System.Text.Json;
using LlmPipeline.TraceGen;

namespace LlmPipeline.Ingest.Tests.TraceGen;

/// <summary>A generated trace parsed back with System.Text.Json, for assertions (small traces only).</summary>
internal sealed class ParsedTrace
{
    public sealed record Kernel(string Name, long TsNs, long DurNs, int Stream, long Correlation, long ExternalId);

    public ParsedTrace(byte[] bytes, TraceGenResult result)
    {
        Bytes = bytes;
        Result = result;
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        TopLevelKeys = root.EnumerateObject().Select(p => p.Name).ToList();
        Rank = root.GetProperty("distributedInfo").GetProperty("rank").GetInt32();
        WorldSize = root.GetProperty("distributedInfo").GetProperty("world_size").GetInt32();
        DisplayTimeUnit = root.GetProperty("displayTimeUnit").GetString()!;
        BaseTimeNanoseconds = root.GetProperty("baseTimeNanoseconds").GetInt64();
        DeviceName = root.GetProperty("deviceProperties")[0].GetProperty("name").GetString()!;
        foreach (var e in root.GetProperty("traceEvents").EnumerateArray())
        {
            EventCount++;
            string ph = e.GetProperty("ph").GetString()!;
            string cat = e.TryGetProperty("cat", out var c) ? c.GetString()! : "";
            Phases.Add((cat, ph));
            if (cat == "kernel")
            {
                var a = e.GetProperty("args");
                Kernels.Add(new Kernel(e.GetProperty("name").GetString()!, Ns(e.GetProperty("ts")), Ns(e.GetProperty("dur")),
                    a.GetProperty("stream").GetInt32(), a.GetProperty("correlation").GetInt64(), a.GetProperty("External id").GetInt64()));
            }
            else if (cat == "cuda_runtime") RuntimeCorrelations.Add(e.GetProperty("args").GetProperty("correlation").GetInt64());
            else if (cat == "cpu_op") CpuOpExternalIds.Add(e.GetProperty("args").GetProperty("External id").GetInt64());
            else if (cat == "ac2g") (ph == "s" ? FlowStarts : FlowFinishes).Add(e.GetProperty("id").GetInt64());
            else if (cat is "user_annotation" or "gpu_user_annotation") Annotations.Add((cat, e.GetProperty("name").GetString()!));
        }
    }

    public byte[] Bytes { get; }
    public TraceGenResult Result { get; }
    public List<string> TopLevelKeys { get; }
    public int Rank { get; }
    public int WorldSize { get; }
    public string DisplayTimeUnit { get; }
    public long BaseTimeNanoseconds { get; }
    public string DeviceName { get; }
    public int EventCount { get; }
    public List<(string Cat, string Ph)> Phases { get; } = [];
    public List<Kernel> Kernels { get; } = [];
    public List<long> RuntimeCorrelations { get; } = [];
    public List<long> CpuOpExternalIds { get; } = [];
    public List<long> FlowStarts { get; } = [];
    public List<long> FlowFinishes { get; } = [];
    public List<(string Cat, string Name)> Annotations { get; } = [];

    public int Count(string substring) => Kernels.Count(k => k.Name.Contains(substring, StringComparison.Ordinal));

    public static ParsedTrace Generate(TraceSpec spec)
    {
        using var ms = new MemoryStream();
        var result = TraceWriter.Write(spec, ms);
        return new ParsedTrace(ms.ToArray(), result);
    }

    /// <summary>µs with 3 decimals → exact ns.</summary>
    private static long Ns(JsonElement e) =>
        (long)(decimal.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture) * 1000m);
}
