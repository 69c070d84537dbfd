using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlmPipeline.Analysis.Efficiency;

/// <summary>One GPU's dense peaks, as listed in <c>gpu_specs.json</c>.</summary>
/// <param name="Name">The part, e.g. <c>NVIDIA H100 SXM</c>.</param>
/// <param name="Patterns">Case-insensitive regular expressions matched against <c>deviceProperties[].name</c>.</param>
/// <param name="Datasheet">The public datasheet the numbers come from.</param>
/// <param name="MemoryGbps">Peak memory bandwidth, GB/s (10^9 bytes per second).</param>
/// <param name="Tflops">Dense peak TFLOP/s (10^12 FLOP per second) by dtype key (<see cref="OpWork.DtypeKey"/>: fp32,
/// tf32, bf16, fp16, fp8, fp4, int8); fp32 is the non-tensor-core peak.</param>
public sealed record GpuSpec(string Name, IReadOnlyList<string> Patterns, string Datasheet, double MemoryGbps,
    IReadOnlyDictionary<string, double> Tflops);

/// <summary>
/// The GPU peak table: the shipped <c>gpu_specs.json</c> (embedded) plus entries of a user file (<c>--gpu-specs</c>),
/// matched by pattern on the device name. Source: the vendors' datasheets named per entry (dense, no sparsity).
/// </summary>
public sealed class GpuSpecs
{
    private readonly List<GpuSpec> _specs;

    private GpuSpecs(List<GpuSpec> specs) => _specs = specs;

    /// <summary>Every entry, in match order.</summary>
    public IReadOnlyList<GpuSpec> All => _specs;

    /// <summary>The shipped table, with <paramref name="overridesPath"/>'s entries added (tried first) or replacing those of the same name.</summary>
    /// <param name="overridesPath">A JSON file of the same format (<c>{"gpus": [...]}</c>), or null.</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="FormatException">The file is not a valid GPU spec table.</exception>
    public static GpuSpecs Load(string? overridesPath = null)
    {
        using var stream = typeof(GpuSpecs).Assembly.GetManifestResourceStream("efficiency/gpu_specs.json")
                           ?? throw new InvalidOperationException("gpu_specs.json is not embedded");
        using var reader = new StreamReader(stream);
        var specs = Parse(reader.ReadToEnd(), "gpu_specs.json");
        if (overridesPath is not null)
        {
            var extra = Parse(File.ReadAllText(overridesPath), overridesPath);
            specs.RemoveAll(s => extra.Exists(e => string.Equals(e.Name, s.Name, StringComparison.OrdinalIgnoreCase)));
            specs.InsertRange(0, extra);
        }
        return new GpuSpecs(specs);
    }

    /// <summary>The first entry whose pattern matches <paramref name="deviceName"/>; null for an unknown or empty name.</summary>
    /// <param name="deviceName">deviceProperties[].name, e.g. <c>NVIDIA H100 80GB HBM3</c>, <c>AMD Instinct MI300X VF</c>.</param>
    public GpuSpec? Match(string? deviceName)
    {
        if (string.IsNullOrWhiteSpace(deviceName)) return null;
        foreach (var spec in _specs)
            foreach (var pattern in spec.Patterns)
                if (Regex.IsMatch(deviceName, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                    return spec;
        return null;
    }

    private static List<GpuSpec> Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var list = new List<GpuSpec>();
            foreach (var g in doc.RootElement.GetProperty("gpus").EnumerateArray())
            {
                var tflops = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
                foreach (var p in g.GetProperty("tflops").EnumerateObject()) tflops[p.Name] = p.Value.GetDouble();
                var name = g.GetProperty("name").GetString() ?? throw new FormatException("a GPU entry has no name");
                var patterns = g.TryGetProperty("patterns", out var ps) ? ps.EnumerateArray().Select(p => p.GetString()!).ToList() : [Regex.Escape(name)];
                list.Add(new GpuSpec(name, patterns, g.TryGetProperty("datasheet", out var d) ? d.GetString() ?? "" : "",
                    g.GetProperty("memory_gbps").GetDouble(), tflops));
            }
            return list;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"{source}: not a GPU spec table ({{\"gpus\": [{{\"name\", \"patterns\", \"memory_gbps\", \"tflops\": {{dtype: TFLOP/s}}}}]}}): {e.Message}", e);
        }
    }
}
