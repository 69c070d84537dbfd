using System.Globalization;
using System.Text.Json;

namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// The trace's top-level members (everything but <c>traceEvents</c>), kept verbatim for <c>trace_metadata</c>, and
/// the facts LlmPipeline reads from them: <c>baseTimeNanoseconds</c>, <c>distributedInfo.rank/world_size</c>,
/// <c>deviceProperties[].name</c>, <c>traceName</c> (docs/trace-format.md, 'Top-level metadata').
/// </summary>
public sealed class TraceMetadata
{
    private readonly Dictionary<string, string> _raw = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _deviceNames = [];

    /// <summary>Each top-level key with its value as JSON text.</summary>
    public IReadOnlyDictionary<string, string> Raw => _raw;

    /// <summary><c>baseTimeNanoseconds</c>, when present.</summary>
    public long? BaseTimeNs { get; private set; }

    /// <summary><c>distributedInfo.rank</c>, when present and an integer.</summary>
    public long? Rank { get; private set; }

    /// <summary><c>distributedInfo.world_size</c>, when present and an integer.</summary>
    public long? WorldSize { get; private set; }

    /// <summary><c>traceName</c>, when present.</summary>
    public string? TraceName { get; private set; }

    /// <summary>GPU name of a device (from <c>deviceProperties</c>), or the first non-empty name.</summary>
    public string? GpuName(int? device)
    {
        if (device is int d && _deviceNames.TryGetValue(d, out var name) && name.Length > 0) return name;
        return _deviceNames.Values.FirstOrDefault(n => n.Length > 0);
    }

    /// <summary>Records one top-level member.</summary>
    public void Add(string key, JsonElement value)
    {
        _raw[key] = value.GetRawText();
        switch (key)
        {
            case "baseTimeNanoseconds":
                BaseTimeNs = AsLong(value);
                break;
            case "distributedInfo" when value.ValueKind == JsonValueKind.Object:
                if (value.TryGetProperty("rank", out var rank)) Rank = AsLong(rank);
                if (value.TryGetProperty("world_size", out var ws)) WorldSize = AsLong(ws);
                break;
            case "deviceProperties" when value.ValueKind == JsonValueKind.Array:
                var index = 0L;
                foreach (var dev in value.EnumerateArray())
                {
                    if (dev.ValueKind != JsonValueKind.Object) continue;
                    var id = dev.TryGetProperty("id", out var idEl) ? AsLong(idEl) ?? index : index;
                    if (dev.TryGetProperty("name", out var nameEl) && nameEl.ValueKind == JsonValueKind.String)
                        _deviceNames[id] = nameEl.GetString() ?? "";
                    index++;
                }
                break;
            case "traceName" when value.ValueKind == JsonValueKind.String:
                TraceName = value.GetString();
                break;
        }
    }

    private static long? AsLong(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number when e.TryGetInt64(out var v) => v,
        JsonValueKind.String when long.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) => v,
        _ => null,
    };
}
