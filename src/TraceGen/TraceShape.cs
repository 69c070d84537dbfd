namespace LlmPipeline.TraceGen;

/// <summary>The per-layer kernel sequence a synthetic trace reproduces.</summary>
public enum TraceShape
{
    /// <summary>
    /// DeepSeek-V3 decode as served by SGLang with FlashMLA (61 layers by default, the first
    /// <see cref="TraceSpec.FirstKDenseReplace"/> dense, the rest MoE). Exactly one
    /// <c>flash_fwd_mla_combine</c> kernel per layer (the <c>dsv3_mla</c> anchor, docs/profiles.md).
    /// </summary>
    DeepSeekV3Decode,

    /// <summary>
    /// DeepSeek-V4 decode (43 layers by default): each layer has an attention half and an FFN half, each ending with
    /// one <c>mhc_post_tilelang_kernel</c> (the <c>dsv4_csa_hca</c> anchor, two per layer, docs/profiles.md).
    /// Layers with compress ratio 4 add the Hadamard/indexer/paged-MQA kernels, ratio 128 a smaller set.
    /// </summary>
    DeepSeekV4Decode,

    /// <summary>A Llama/Qwen-style dense decoder layer (10 kernels, 12 with tensor parallelism), 4 layers by default.</summary>
    Generic,

    /// <summary>
    /// A Qwen3/Llama-style dense decoder served by vLLM (36 layers by default, Qwen3-8B): layer 0's input norm is a plain
    /// <c>rms_norm_kernel</c>, layers 1.. open with <c>fused_add_rms_norm_kernel</c> (residual add of the previous layer
    /// + this layer's input norm); attention carries q- and k-norm <c>rms_norm_kernel</c>s, rotary, KV store and
    /// FlashAttention decode (the once-per-layer kernels: rotary, <c>reshape_and_cache_flash</c>, <c>flash_fwd_splitkv</c>).
    /// The final norm is a <c>fused_add_rms_norm_kernel</c> in the epilogue. 12 kernels per layer, 14 with tensor parallelism.
    /// </summary>
    DenseAddNorm,

    /// <summary>
    /// A gpt-oss-style MoE decoder served by vLLM (24 layers by default): sliding-window attention on even layers,
    /// full attention on odd layers (two attention kernel names), MoE in every layer (router GEMM, routing/top-k kernels,
    /// two MoE GEMMs, finalize), rotary once per layer (the anchor). Norms as <see cref="DenseAddNorm"/>.
    /// 19 kernels per layer, 21 with tensor parallelism.
    /// </summary>
    GptOss,

    /// <summary>
    /// An eager Hugging Face transformers decoder (Qwen1.5/Llama, 24 layers by default): every RMSNorm is 8 PyTorch
    /// kernels (float cast copy, pow, mean, add eps, rsqrt, mul, bf16 cast copy, weight mul), eager rotary, residual
    /// adds as elementwise kernels, eager SiLU (silu + mul), <c>pytorch_flash::flash_fwd_kernel</c> once per layer.
    /// 42 kernels per layer; no collectives whatever <see cref="TraceSpec.WorldSize"/>.
    /// </summary>
    EagerHf,
}
