namespace LlmPipeline.TraceGen;

/// <summary>The per-layer kernel sequence a synthetic trace reproduces.</summary>
public enum TraceShape
{
    /// <summary>
    /// DeepSeek-V3 decode as served by SGLang with FlashMLA (61 layers by default, the first
    /// <see cref="TraceSpec.FirstKDenseReplace"/> dense, the rest MoE). Exactly one
    /// <c>flash_fwd_mla_combine</c> kernel per layer (the <c>dsv3_mla</c> anchor, reference-scripts.md §2.2).
    /// </summary>
    DeepSeekV3Decode,

    /// <summary>
    /// DeepSeek-V4 decode (43 layers by default): each layer has an attention half and an FFN half, each ending with
    /// one <c>mhc_post_tilelang_kernel</c> (the <c>dsv4_csa_hca</c> anchor, two per layer, decisions.md §2).
    /// Layers with compress ratio 4 add the Hadamard/indexer/paged-MQA kernels, ratio 128 a smaller set.
    /// </summary>
    DeepSeekV4Decode,

    /// <summary>A Llama/Qwen-style dense decoder layer (10 kernels, 12 with tensor parallelism), 4 layers by default.</summary>
    Generic,
}
