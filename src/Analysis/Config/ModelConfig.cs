namespace LlmPipeline.Analysis.Config;

/// <summary>
/// The fields of a model's Hugging Face <c>config.json</c> (or DeepSeek's own inference config) that analysis uses.
/// Nested <c>text_config</c> / <c>language_config</c> / <c>llm_config</c> are flattened, DeepSeek key names
/// (<c>n_layers</c>, <c>n_hash_layers</c>, <c>dim</c>, <c>n_heads</c>) are read as aliases (docs/profiles.md, 'Model configs').
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The config text exactly as read (stored in <c>runs.config_json</c>).</summary>
    public required string RawJson { get; init; }

    /// <summary><c>model_type</c>, e.g. <c>deepseek_v3</c>, <c>qwen3</c>.</summary>
    public string? ModelType { get; init; }

    /// <summary><c>num_hidden_layers</c> (alias <c>n_layers</c>).</summary>
    public int? NumHiddenLayers { get; init; }

    /// <summary><c>compress_ratios</c> as given (may have N + MTP entries), empty when absent.</summary>
    public IReadOnlyList<int> CompressRatios { get; init; } = [];

    /// <summary><c>num_hash_layers</c> (alias <c>n_hash_layers</c>), 0 when absent.</summary>
    public int NumHashLayers { get; init; }

    /// <summary><c>kv_lora_rank</c>, when present.</summary>
    public int? KvLoraRank { get; init; }

    /// <summary><c>index_topk</c> (DeepSeek sparse attention: V3.2, GLM-5), when present.</summary>
    public int? IndexTopk { get; init; }

    /// <summary><c>num_nextn_predict_layers</c> (MTP layers), 0 when absent.</summary>
    public int NumNextnPredictLayers { get; init; }

    /// <summary><c>first_k_dense_replace</c> (alias <c>n_dense_layers</c>): the first K layers are dense.</summary>
    public int? FirstKDenseReplace { get; init; }

    /// <summary><c>moe_layer_freq</c>: every k-th layer is MoE.</summary>
    public int? MoeLayerFreq { get; init; }

    /// <summary><c>mlp_only_layers</c>: indices of dense layers in a MoE model (Qwen-MoE).</summary>
    public IReadOnlyList<int> MlpOnlyLayers { get; init; } = [];

    /// <summary>Number of routed experts (<c>n_routed_experts</c> / <c>num_experts</c> / <c>num_local_experts</c>), when present.</summary>
    public int? NumRoutedExperts { get; init; }

    /// <summary><c>layer_types</c> (e.g. <c>sliding_attention</c>, <c>full_attention</c>), empty when absent.</summary>
    public IReadOnlyList<string> LayerTypes { get; init; } = [];

    /// <summary>Every top-level scalar key after flattening, for the architecture summary (<c>compute-flow</c>).</summary>
    public IReadOnlyDictionary<string, string> Scalars { get; init; } = new Dictionary<string, string>();
}
