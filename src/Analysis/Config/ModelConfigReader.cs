using System.Globalization;
using System.Text.Json;

namespace LlmPipeline.Analysis.Config;

/// <summary>
/// Reads a model's <c>config.json</c> (Hugging Face format or DeepSeek's own inference format) into a
/// <see cref="ModelConfig"/> (docs/profiles.md, 'Model configs'): keys of a nested <c>text_config</c> / <c>language_config</c> /
/// <c>llm_config</c> object are flattened to the top level (the nested language-model values win, except
/// <c>model_type</c>), and DeepSeek names are aliases: <c>n_layers</c> → <c>num_hidden_layers</c>,
/// <c>n_hash_layers</c> → <c>num_hash_layers</c>, <c>n_dense_layers</c> → <c>first_k_dense_replace</c>,
/// <c>dim</c> → <c>hidden_size</c>, <c>n_heads</c> → <c>num_attention_heads</c>,
/// <c>n_routed_experts</c> / <c>num_experts</c> / <c>num_local_experts</c> → routed experts.
/// </summary>
public static class ModelConfigReader
{
    private static readonly string[] NestedKeys = ["text_config", "language_config", "llm_config"];

    private static readonly (string Alias, string Canonical)[] Aliases =
    [
        ("n_layers", "num_hidden_layers"),
        ("n_hash_layers", "num_hash_layers"),
        ("n_dense_layers", "first_k_dense_replace"),
        ("dim", "hidden_size"),
        ("n_heads", "num_attention_heads"),
        ("n_routed_experts", "n_routed_experts"),
        ("num_experts", "n_routed_experts"),
        ("num_local_experts", "n_routed_experts"),
        ("n_activated_experts", "num_experts_per_tok"),
        ("num_experts_per_token", "num_experts_per_tok"),
        ("n_shared_experts", "n_shared_experts"),
        ("moe_inter_dim", "moe_intermediate_size"),
        ("inter_dim", "intermediate_size"),
        ("n_mtp_layers", "num_nextn_predict_layers"),
    ];

    /// <summary>Reads and parses a config file.</summary>
    /// <exception cref="ModelConfigException">The file is not valid JSON or not an object (message names the file).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModelConfig Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses config JSON text; <paramref name="source"/> names the text in errors.</summary>
    /// <exception cref="ModelConfigException">Not valid JSON, or not a JSON object.</exception>
    public static ModelConfig Parse(string json, string source = "config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new ModelConfigException(source, "not valid JSON: " + ex.Message, ex);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelConfigException(source, "a model config must be a JSON object");
            var flat = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject()) flat[p.Name] = p.Value.Clone();
            foreach (var nk in NestedKeys)
            {
                if (doc.RootElement.TryGetProperty(nk, out var nested) && nested.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in nested.EnumerateObject())
                    {
                        if (p.Name == "model_type" && flat.ContainsKey("model_type")) continue;
                        flat[p.Name] = p.Value.Clone();
                    }
                }
            }
            foreach (var (alias, canonical) in Aliases)
            {
                if (alias != canonical && flat.TryGetValue(alias, out var v) && !flat.ContainsKey(canonical))
                    flat[canonical] = v;
            }

            var scalars = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in flat)
            {
                var s = ScalarText(v);
                if (s is not null) scalars[k] = s;
            }

            return new ModelConfig
            {
                RawJson = json,
                ModelType = Str(flat, "model_type"),
                NumHiddenLayers = Int(flat, "num_hidden_layers"),
                CompressRatios = IntList(flat, "compress_ratios"),
                NumHashLayers = Int(flat, "num_hash_layers") ?? 0,
                KvLoraRank = Int(flat, "kv_lora_rank"),
                IndexTopk = Int(flat, "index_topk"),
                NumNextnPredictLayers = Int(flat, "num_nextn_predict_layers") ?? 0,
                FirstKDenseReplace = Int(flat, "first_k_dense_replace"),
                MoeLayerFreq = Int(flat, "moe_layer_freq"),
                MlpOnlyLayers = IntList(flat, "mlp_only_layers"),
                NumRoutedExperts = Int(flat, "n_routed_experts"),
                LayerTypes = StrList(flat, "layer_types"),
                Scalars = scalars,
            };
        }
    }

    private static string? ScalarText(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string? Str(Dictionary<string, JsonElement> d, string k) =>
        d.TryGetValue(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(Dictionary<string, JsonElement> d, string k) =>
        d.TryGetValue(k, out var v) ? AsInt(v) : null;

    private static int? AsInt(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number)
        {
            if (v.TryGetInt32(out var i)) return i;
            if (v.TryGetDouble(out var dbl) && dbl == Math.Floor(dbl) && Math.Abs(dbl) < int.MaxValue) return (int)dbl;
            return null;
        }
        if (v.ValueKind == JsonValueKind.String &&
            int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var j)) return j;
        return null;
    }

    private static IReadOnlyList<int> IntList(Dictionary<string, JsonElement> d, string k)
    {
        if (!d.TryGetValue(k, out var v) || v.ValueKind != JsonValueKind.Array) return [];
        var list = new List<int>();
        foreach (var e in v.EnumerateArray())
            if (AsInt(e) is { } i) list.Add(i);
        return list;
    }

    private static IReadOnlyList<string> StrList(Dictionary<string, JsonElement> d, string k)
    {
        if (!d.TryGetValue(k, out var v) || v.ValueKind != JsonValueKind.Array) return [];
        var list = new List<string>();
        foreach (var e in v.EnumerateArray())
            list.Add(e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText());
        return list;
    }
}
