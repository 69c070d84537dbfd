using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmPipeline.Analysis.Segmentation;

namespace LlmPipeline.Analysis.Profiles;

/// <summary>Reads and writes the profile file format (snake_case JSON), validating every field.</summary>
internal static class ProfileJson
{
    private static readonly HashSet<string> KnownKeys =
    [
        "name", "description", "anchor_kernel", "layer_start_kernel", "anchor_role", "blocks_per_layer", "half_labels",
        "default_num_layers", "category_rules",
    ];

    private static readonly Regex KeyShape = new("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Parses a hand-written JSON data file (profile, step markers) leniently: trailing commas and comments allowed.
    /// </summary>
    /// <exception cref="ProfileFormatException">Not valid JSON (the message names <paramref name="source"/>).</exception>
    internal static JsonDocument ParseDocument(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new ProfileFormatException(source, "", "not valid JSON: " + ex.Message, ex);
        }
    }

    public static ModelProfile Parse(string json, string source, bool requireName)
    {
        using (var doc = ParseDocument(json, source))
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ProfileFormatException(source, "", "the profile must be a JSON object");
            foreach (var prop in root.EnumerateObject())
            {
                if (!KnownKeys.Contains(prop.Name) && !prop.Name.StartsWith('_') && prop.Name != "comment")
                    throw new ProfileFormatException(source, prop.Name,
                        "unknown field (known: " + string.Join(", ", KnownKeys) + "; prefix a key with '_' for comments)");
            }

            var name = OptString(root, "name", source);
            if (requireName && string.IsNullOrWhiteSpace(name))
                throw new ProfileFormatException(source, "name", "required, a non-empty string");
            var description = OptString(root, "description", source);
            var anchor = OptString(root, "anchor_kernel", source);
            if (anchor is { Length: 0 }) anchor = null;
            var layerStart = OptString(root, "layer_start_kernel", source);
            if (layerStart is { Length: 0 }) layerStart = null;

            var role = AnchorRole.Opens;
            var roleText = OptString(root, "anchor_role", source);
            if (roleText is not null)
            {
                role = roleText.ToLowerInvariant() switch
                {
                    "opens" => AnchorRole.Opens,
                    "closes" => AnchorRole.Closes,
                    _ => throw new ProfileFormatException(source, "anchor_role", $"must be \"opens\" or \"closes\", got \"{roleText}\""),
                };
            }

            var bpl = OptInt(root, "blocks_per_layer", source) ?? 1;
            if (bpl is < 1 or > 16)
                throw new ProfileFormatException(source, "blocks_per_layer", $"must be an integer from 1 to 16, got {bpl}");

            IReadOnlyList<string> halves;
            if (root.TryGetProperty("half_labels", out var hl) && hl.ValueKind != JsonValueKind.Null)
            {
                if (hl.ValueKind != JsonValueKind.Array)
                    throw new ProfileFormatException(source, "half_labels", "must be an array of strings");
                var list = new List<string>();
                var i = 0;
                foreach (var e in hl.EnumerateArray())
                {
                    if (e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
                        throw new ProfileFormatException(source, $"half_labels[{i}]", "must be a non-empty string");
                    list.Add(e.GetString()!);
                    i++;
                }
                if (list.Count != bpl)
                    throw new ProfileFormatException(source, "half_labels", $"must have blocks_per_layer ({bpl}) entries, got {list.Count}");
                halves = list;
            }
            else
            {
                halves = DefaultHalfLabels(bpl);
            }

            var defaultLayers = OptInt(root, "default_num_layers", source);
            if (defaultLayers is < 1)
                throw new ProfileFormatException(source, "default_num_layers", $"must be a positive integer or null, got {defaultLayers}");

            var rules = new List<CategoryRule>();
            if (root.TryGetProperty("category_rules", out var cr) && cr.ValueKind != JsonValueKind.Null)
            {
                if (cr.ValueKind != JsonValueKind.Array)
                    throw new ProfileFormatException(source, "category_rules", "must be an array of rule objects");
                var i = 0;
                foreach (var e in cr.EnumerateArray())
                {
                    rules.Add(ParseRule(e, source, $"category_rules[{i}]"));
                    i++;
                }
            }

            return new ModelProfile
            {
                Name = name ?? "",
                Description = description,
                AnchorKernel = anchor,
                LayerStartKernel = layerStart,
                AnchorRole = role,
                BlocksPerLayer = bpl,
                HalfLabels = halves,
                DefaultNumLayers = defaultLayers,
                CategoryRules = rules,
                Source = source,
            };
        }
    }

    /// <summary>Half labels used when a profile gives none: <c>full</c>, <c>attn/ffn</c>, else <c>block0..</c>.</summary>
    public static IReadOnlyList<string> DefaultHalfLabels(int bpl) => bpl switch
    {
        1 => ["full"],
        2 => ["attn", "ffn"],
        _ => Enumerable.Range(0, bpl).Select(i => "block" + i).ToArray(),
    };

    private static CategoryRule ParseRule(JsonElement e, string source, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new ProfileFormatException(source, path, "must be an object with pattern, category, label, group");
        foreach (var prop in e.EnumerateObject())
        {
            if (prop.Name is not ("pattern" or "category" or "label" or "group") && !prop.Name.StartsWith('_'))
                throw new ProfileFormatException(source, $"{path}.{prop.Name}", "unknown field (known: pattern, category, label, group)");
        }
        var pattern = OptString(e, "pattern", source, path)
            ?? throw new ProfileFormatException(source, $"{path}.pattern", "required, a regular expression string");
        try
        {
            _ = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new ProfileFormatException(source, $"{path}.pattern", "invalid regular expression: " + ex.Message, ex);
        }
        var category = OptString(e, "category", source, path);
        if (string.IsNullOrEmpty(category) || !KeyShape.IsMatch(category))
            throw new ProfileFormatException(source, $"{path}.category", $"required, a snake_case key such as \"gemm_fp8\", got \"{category}\"");
        var group = OptString(e, "group", source, path);
        if (string.IsNullOrEmpty(group) || !KeyShape.IsMatch(group))
            throw new ProfileFormatException(source, $"{path}.group", $"required, a snake_case group such as \"gemm\", got \"{group}\"");
        var label = OptString(e, "label", source, path);
        return new CategoryRule(pattern, category, string.IsNullOrWhiteSpace(label) ? category : label, group);
    }

    private static string? OptString(JsonElement obj, string key, string source, string? parent = null)
    {
        if (!obj.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String)
            throw new ProfileFormatException(source, parent is null ? key : $"{parent}.{key}", $"must be a string, got {v.ValueKind.ToString().ToLowerInvariant()}");
        return v.GetString();
    }

    private static int? OptInt(JsonElement obj, string key, string source)
    {
        if (!obj.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n))
            throw new ProfileFormatException(source, key, $"must be an integer, got {v.GetRawText()}");
        return n;
    }

    public static string Write(ModelProfile p)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("name", p.Name);
            if (p.Description is null) w.WriteNull("description"); else w.WriteString("description", p.Description);
            if (p.AnchorKernel is null) w.WriteNull("anchor_kernel"); else w.WriteString("anchor_kernel", p.AnchorKernel);
            if (p.LayerStartKernel is not null) w.WriteString("layer_start_kernel", p.LayerStartKernel);
            w.WriteString("anchor_role", p.AnchorRole == AnchorRole.Closes ? "closes" : "opens");
            w.WriteNumber("blocks_per_layer", p.BlocksPerLayer);
            w.WriteStartArray("half_labels");
            foreach (var h in p.HalfLabels) w.WriteStringValue(h);
            w.WriteEndArray();
            if (p.DefaultNumLayers is { } d) w.WriteNumber("default_num_layers", d); else w.WriteNull("default_num_layers");
            w.WriteStartArray("category_rules");
            foreach (var r in p.CategoryRules)
            {
                w.WriteStartObject();
                w.WriteString("pattern", r.Pattern);
                w.WriteString("category", r.Category);
                w.WriteString("label", r.Label);
                w.WriteString("group", r.Group);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
