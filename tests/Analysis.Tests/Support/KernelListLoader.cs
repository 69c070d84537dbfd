using System.IO.Compression;
using System.Text.Json;
using LlmPipeline.Analysis.Segmentation;

namespace LlmPipeline.Analysis.Tests.Support;

/// <summary>Test-only loader: the kernels (cat "kernel", case-insensitive) of a small trace, stably sorted by ts.</summary>
internal static class KernelListLoader
{
    public static KernelSequence Load(string path)
    {
        using var file = File.OpenRead(path);
        var magic = new byte[2];
        file.ReadExactly(magic);
        file.Position = 0;
        using Stream stream = magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var doc = JsonDocument.Parse(stream);
        var events = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement : doc.RootElement.GetProperty("traceEvents");
        var list = new List<(long Ts, long Dur, string Name, int Order)>();
        var order = 0;
        foreach (var e in events.EnumerateArray())
        {
            if (!e.TryGetProperty("cat", out var cat) || cat.ValueKind != JsonValueKind.String ||
                !string.Equals(cat.GetString(), "kernel", StringComparison.OrdinalIgnoreCase)) continue;
            var ts = e.TryGetProperty("ts", out var t) ? ToNs(t) : 0;
            var dur = e.TryGetProperty("dur", out var d) ? ToNs(d) : 0;
            var name = e.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            list.Add((ts, dur, name, order++));
        }
        list.Sort((x, y) => x.Ts != y.Ts ? x.Ts.CompareTo(y.Ts) : x.Order.CompareTo(y.Order));
        var names = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = new long[list.Count];
        var durs = new long[list.Count];
        var nameId = new int[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            start[i] = list[i].Ts;
            durs[i] = list[i].Dur;
            if (!ids.TryGetValue(list[i].Name, out var id))
            {
                id = names.Count;
                ids[list[i].Name] = id;
                names.Add(list[i].Name);
            }
            nameId[i] = id;
        }
        return new KernelSequence(start, durs, nameId, names);
    }

    private static long ToNs(JsonElement v) =>
        v.ValueKind == JsonValueKind.Number ? (long)Math.Round(decimal.Parse(v.GetRawText(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture) * 1000m)
        : 0;
}
