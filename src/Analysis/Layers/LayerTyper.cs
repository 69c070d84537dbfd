using LlmPipeline.Analysis.Config;

namespace LlmPipeline.Analysis.Layers;

/// <summary>
/// Composable layer-type labels (docs/segmentation.md, section 6 "Layer types"): position (<c>FIRST</c>, <c>MIDDLE</c>,
/// <c>FINAL</c>), attention kind (<c>SWA_ONLY</c> ratio 0, <c>CSA_C4</c> ratio 4, <c>HCA_C128</c> ratio 128,
/// <c>CR&lt;n&gt;</c> other ratios; or <c>SLIDING</c> / <c>FULL</c> / other kinds from <c>layer_types</c>), FFN kind
/// (<c>DENSE</c> / <c>MOE</c>), then <c>HASH</c> for the first <c>num_hash_layers</c> layers, joined by <c>+</c>.
/// </summary>
public static class LayerTyper
{
    /// <summary>The label of layer <paramref name="layerIdx"/> and its compress ratio (null when none covers it).</summary>
    /// <param name="layerIdx">0-based layer index.</param>
    /// <param name="numLayers">Layers per pass.</param>
    /// <param name="config">The model config, or null.</param>
    /// <param name="ratios">Normalized compress ratios (<see cref="CompressRatios.Normalize"/>).</param>
    /// <param name="hasMoeKernels">Whether the layer ran kernels of group <c>moe</c> (used when the config's
    /// first_k_dense_replace / moe_layer_freq / mlp_only_layers do not decide, or there is no config); null when unknown.</param>
    public static (string Label, int? CompressRatio) Label(int layerIdx, int numLayers, ModelConfig? config,
        IReadOnlyList<int> ratios, bool? hasMoeKernels)
    {
        var parts = new List<string>(4)
        {
            layerIdx == 0 ? "FIRST" : layerIdx == numLayers - 1 ? "FINAL" : "MIDDLE",
        };
        int? ratio = layerIdx >= 0 && layerIdx < ratios.Count ? ratios[layerIdx] : null;
        if (ratio is { } r)
        {
            parts.Add(r switch { 0 => "SWA_ONLY", 4 => "CSA_C4", 128 => "HCA_C128", _ => "CR" + r.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        else if (config is not null && layerIdx >= 0 && layerIdx < config.LayerTypes.Count)
        {
            var kind = AttentionKind(config.LayerTypes[layerIdx]);
            if (kind.Length > 0) parts.Add(kind);
        }
        if (FfnKind(layerIdx, config, hasMoeKernels) is { } ffn) parts.Add(ffn);
        if (config is not null && layerIdx < config.NumHashLayers) parts.Add("HASH");
        return (string.Join('+', parts), ratio);
    }

    /// <summary><c>sliding_attention</c> → <c>SLIDING</c>, <c>full_attention</c> → <c>FULL</c>, other kinds upper-cased without <c>_attention</c>.</summary>
    public static string AttentionKind(string layerType)
    {
        var t = layerType.Trim().ToLowerInvariant();
        if (t.Contains("sliding", StringComparison.Ordinal)) return "SLIDING";
        if (t.StartsWith("full", StringComparison.Ordinal)) return "FULL";
        if (t.EndsWith("_attention", StringComparison.Ordinal)) t = t[..^"_attention".Length];
        var chars = t.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray();
        return new string(chars).ToUpperInvariant();
    }

    /// <summary>
    /// DENSE / MOE from the config keys (first_k_dense_replace, moe_layer_freq, mlp_only_layers), else from the
    /// layer's kernels (a layer with MoE kernels is MOE: docs/messy-traces.md, B33, issue 4), also when there is no config
    /// or it has no expert keys; null when neither tells (<paramref name="hasMoeKernels"/> null).
    /// </summary>
    public static string? FfnKind(int layerIdx, ModelConfig? config, bool? hasMoeKernels)
    {
        if (config is null) return hasMoeKernels is { } known ? (known ? "MOE" : "DENSE") : null;
        var experts = config.NumRoutedExperts is > 0;
        if (config.MlpOnlyLayers.Count > 0 && experts)
            return config.MlpOnlyLayers.Contains(layerIdx) ? "DENSE" : "MOE";
        if (config.FirstKDenseReplace is { } k && (experts || config.MoeLayerFreq is not null))
        {
            if (layerIdx < k) return "DENSE";
            if (config.MoeLayerFreq is { } f && f > 1) return layerIdx % f == 0 ? "MOE" : "DENSE";
            return "MOE";
        }
        if (config.MoeLayerFreq is { } freq && freq >= 1 && experts)
            return layerIdx % freq == 0 ? "MOE" : "DENSE";
        if (hasMoeKernels is { } has) return has ? "MOE" : "DENSE";
        return null;
    }
}
