namespace LlmPipeline.Analysis.Config;

/// <summary>
/// Picks a built-in profile from a model config (docs/profiles.md, 'Choosing a profile': the llm-pipeline-analysis
/// rule, with DeepSeek-sparse-attention models sent to <c>generic</c>). <c>--profile</c> always wins over this; the
/// caller decides that.
/// </summary>
public static class ProfileInference
{
    /// <summary>
    /// The built-in profile for <paramref name="config"/> and one sentence saying why:
    /// non-empty <c>compress_ratios</c> → <c>dsv4_csa_hca</c>; <c>index_topk</c> present (DeepSeek-V3.2, GLM-5) →
    /// <c>generic</c> with an auto-detected anchor; <c>kv_lora_rank</c> &gt; 0 → <c>dsv3_mla</c>; else <c>generic</c>.
    /// </summary>
    public static (string ProfileName, string Reason) Infer(ModelConfig? config)
    {
        if (config is null)
            return ("generic", "no model config was given, so the generic profile (auto-detected anchor) is used");
        if (config.CompressRatios.Count > 0)
            return ("dsv4_csa_hca", $"the config has compress_ratios ({config.CompressRatios.Count} entries): DeepSeek-V4 CSA/HCA attention");
        if (config.IndexTopk is { } topk)
            return ("generic", $"the config has index_topk ({topk}): DeepSeek sparse attention (DeepSeek-V3.2, GLM-5) has no built-in profile yet, so the generic profile with an auto-detected anchor is used");
        if (config.KvLoraRank is > 0)
            return ("dsv3_mla", $"the config has kv_lora_rank {config.KvLoraRank} and no index_topk: DeepSeek-V3-style MLA");
        return ("generic", "the config has neither compress_ratios nor kv_lora_rank, so the generic profile (auto-detected anchor) is used");
    }
}
