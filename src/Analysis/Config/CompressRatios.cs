namespace LlmPipeline.Analysis.Config;

/// <summary>
/// Normalises a config's <c>compress_ratios</c> to a layer count (docs/profiles.md, 'compress_ratios':
/// the llm-pipeline-analysis rule made tolerant: a mismatch is a warning, and the ratios then label only the layers they cover).
/// </summary>
public static class CompressRatios
{
    /// <summary>
    /// Ratios for <paramref name="numLayers"/> layers: unchanged when the lengths match; the first N when the list
    /// has N + <c>num_nextn_predict_layers</c> entries (trailing MTP ratios); otherwise the first min(len, N)
    /// entries with a warning. Empty (no warning) when the config has no ratios or is null.
    /// </summary>
    public static CompressRatioResult Normalize(ModelConfig? config, int numLayers)
    {
        if (config is null || config.CompressRatios.Count == 0) return new([], null);
        var r = config.CompressRatios;
        if (numLayers <= 0 || r.Count == numLayers) return new(r, null);
        var nextn = config.NumNextnPredictLayers;
        if (nextn > 0 && r.Count == numLayers + nextn) return new(r.Take(numLayers).ToArray(), null);
        var covered = Math.Min(r.Count, numLayers);
        var expected = nextn > 0 ? $"{numLayers} (or {numLayers + nextn} with num_nextn_predict_layers={nextn})" : numLayers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new(r.Take(covered).ToArray(),
            $"compress_ratios has {r.Count} entries but {expected} were expected for {numLayers} layers; the ratios label layers 0..{covered - 1} only");
    }
}
