using System.Text.Json;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Kernels;

/// <summary>
/// The model architecture summary of <c>compute-flow</c>, read from the run's stored config with Hugging Face key
/// names (docs/profiles.md, 'Model configs': <c>hidden_size</c>, <c>num_attention_heads</c>, <c>num_key_value_heads</c>, <c>head_dim</c>,
/// <c>q_lora_rank</c>, <c>kv_lora_rank</c>, <c>n_routed_experts</c> / <c>num_experts</c> / <c>num_local_experts</c>,
/// <c>num_experts_per_tok</c>, <c>n_shared_experts</c>, <c>moe_intermediate_size</c>, <c>intermediate_size</c>,
/// <c>first_k_dense_replace</c>, <c>hc_mult</c>, <c>index_n_heads</c>, <c>index_topk</c>) and DeepSeek's own names
/// (<c>dim</c>, <c>n_heads</c>, <c>n_layers</c>); nested <c>text_config</c> / <c>language_config</c> / <c>llm_config</c>
/// are searched too. Values are printed as given; nothing is computed.
/// </summary>
public static class ArchitectureSummary
{
    private static readonly string[] Nested = ["text_config", "language_config", "llm_config"];

    /// <summary>Writes the summary; writes nothing when <paramref name="configJson"/> is null or not a JSON object.</summary>
    /// <param name="configJson">runs.config_json.</param>
    /// <param name="numLayers">runs.num_layers (the layer count every report uses).</param>
    /// <param name="clusters">layer_type and layer_count of the pass (view layer_clusters).</param>
    /// <param name="output">Where to write.</param>
    public static void Write(string? configJson, long? numLayers, ResultTable clusters, TextWriter output)
    {
        if (configJson is null) return;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(configJson); }
        catch (JsonException) { return; }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return;
            string? Get(params string[] keys) => Lookup(doc.RootElement, keys);
            output.WriteLine(new string('=', 80));
            output.WriteLine("  Model Architecture Summary");
            output.WriteLine(new string('=', 80));
            var model = Get("model_type");
            output.WriteLine($"  Layers: {numLayers?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} (config: {Get("num_hidden_layers", "n_layers") ?? "?"}){(model is null ? "" : $", model_type: {model}")}");
            output.WriteLine($"  Hidden: {Get("hidden_size", "dim") ?? "?"}, Heads: {Get("num_attention_heads", "n_heads") ?? "?"} (KV: {Get("num_key_value_heads", "n_kv_heads") ?? "?"}), Head dim: {Get("head_dim") ?? "?"}");
            var kvLora = Get("kv_lora_rank");
            var qLora = Get("q_lora_rank");
            output.WriteLine(kvLora is null
                ? "  Attention: multi-head / grouped-query (no kv_lora_rank)"
                : $"  Attention: MLA (kv_lora_rank: {kvLora}, q_lora_rank: {qLora ?? "none"}, qk_rope_head_dim: {Get("qk_rope_head_dim") ?? "?"}, v_head_dim: {Get("v_head_dim") ?? "?"})");
            var experts = Get("n_routed_experts", "num_experts", "num_local_experts", "n_experts");
            output.WriteLine(experts is null
                ? $"  FFN: dense, intermediate_size: {Get("intermediate_size", "inter_dim") ?? "?"}"
                : $"  MoE: {experts} routed experts, top-{Get("num_experts_per_tok", "num_experts_per_token", "n_activated_experts") ?? "?"}, {Get("n_shared_experts", "num_shared_experts", "n_shared_experts") ?? "0"} shared, moe_intermediate_size: {Get("moe_intermediate_size", "moe_inter_dim") ?? "?"}, dense intermediate_size: {Get("intermediate_size", "inter_dim") ?? "?"}, first_k_dense_replace: {Get("first_k_dense_replace", "n_dense_layers") ?? "0"}");
            if (Get("hc_mult") is { } hc) output.WriteLine($"  mHC: hc_mult: {hc}");
            if (Get("index_n_heads") is { } ih) output.WriteLine($"  Sparse-attention indexer: {ih} heads, index_head_dim: {Get("index_head_dim") ?? "?"}, index_topk: {Get("index_topk") ?? "?"}");
            if (clusters.Rows.Count > 0)
            {
                var parts = clusters.Rows.Select(r => $"{r[clusters.IndexOf("layer_type")]}: {CellFormatter.Exact(r[clusters.IndexOf("layer_count")])}");
                output.WriteLine($"  Layer types in this pass: {string.Join(", ", parts)}");
            }
            output.WriteLine(new string('=', 80));
            output.WriteLine();
        }
    }

    private static string? Lookup(JsonElement root, string[] keys)
    {
        foreach (var key in keys)
        {
            if (Scalar(root, key) is { } v) return v;
            foreach (var nested in Nested)
                if (root.TryGetProperty(nested, out var inner) && inner.ValueKind == JsonValueKind.Object && Scalar(inner, key) is { } nv)
                    return nv;
        }
        return null;
    }

    private static string? Scalar(JsonElement obj, string key) =>
        obj.TryGetProperty(key, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String => v.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        } : null;
}
