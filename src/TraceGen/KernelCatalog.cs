using N = LlmPipeline.TraceGen.KernelNames;

namespace LlmPipeline.TraceGen;

/// <summary>
/// The kernel sequences of one layer / prologue / epilogue per shape, with nominal H200 decode durations (batch 32).
/// Counts (tp = WorldSize &gt; 1, which adds the collectives marked [tp]):
/// DeepSeek-V3 MoE layer 32 (30 without tp), dense layer 24 (22); DeepSeek-V4 layer 35 (33) plus 6 for compress
/// ratio 4 and 2 for ratio 128; Generic layer 12 (10); prologue 2 (1); epilogue 4 (3); MTP head 4, MTP tail 4 (3).
/// DenseAddNorm layer 14 (12), GptOss layer 21 (19), their prologue 2 (1) and epilogue 4 (3); EagerHf layer 42,
/// prologue 10, epilogue 11 (never collectives); a pipeline send or receive is 1 kernel.
/// </summary>
public static class KernelCatalog
{
    /// <summary>One DeepSeek-V3 decode layer: MLA attention (one <c>flash_fwd_mla_combine</c>), then MoE or dense MLP.</summary>
    public static IReadOnlyList<KernelTemplate> DeepSeekV3Layer(bool moe, bool tp, bool customAllReduce)
    {
        var list = new List<KernelTemplate>(32)
        {
            Norm(N.FusedAddRmsNorm, 4.1, "sgl_kernel::fused_add_rmsnorm"),
            Quant(),
            Gemm(N.DeepGemm(2112, 7168), 9.6),
            Norm(N.RmsNorm, 3.1, "sgl_kernel::rmsnorm", "[[32, 1536], [1536]]"),
            Norm(N.RmsNorm, 2.9, "sgl_kernel::rmsnorm", "[[32, 512], [512]]"),
            Quant(),
            Gemm(N.DeepGemm(24576, 1536), 8.3),
            Bmm(N.Nvjet("64x8_64x16_4x1_v_bz_TNT"), 6.1),
            K(N.DeepseekRope, 2.8, "sgl_kernel::apply_rope_with_cos_sin_cache_inplace", "[[32, 128, 64], [32, 64]]", 64, 256),
            K(N.StoreFlashMlaCache, 2.5, "sgl_kernel::fused_store_flashmla_cache", "[[32, 512], [32, 64]]", 32, 128),
            K(N.MlaMetadata, 3.0, "sgl_kernel::get_mla_metadata", "[[32]]", 1, 32),
            K(N.MlaDense, 27.8, "sgl_kernel::flash_mla_with_kvcache", "[[32, 1, 128, 576], [1024, 64, 1, 656]]", 132, 256, 168, 229_632),
            K(N.MlaCombine, 4.4, "sgl_kernel::flash_mla_with_kvcache", "[[32, 1, 128, 512]]", 32, 128),
            Bmm(N.Nvjet("64x8_64x16_4x1_v_bz_TNN"), 5.6),
            Quant(),
            Gemm(N.DeepGemm(7168, 16384), 8.9),
        };
        if (tp) list.Add(AllReduce(customAllReduce));
        list.Add(Norm(N.FusedAddRmsNorm, 4.2, "sgl_kernel::fused_add_rmsnorm"));
        if (moe)
        {
            list.Add(Bmm(N.Nvjet("128x8_64x12_2x1_v_bz_TNN"), 4.0));
            list.Add(K(N.MoeFusedGate, 5.1, "sgl_kernel::moe_fused_gate", "[[32, 256], [256]]", 1, 256));
            list.Add(Quant());
            list.Add(Gemm(N.DeepGemm(4096, 7168), 7.4));
            list.Add(K(N.ActAndMul, 2.2, "sgl_kernel::silu_and_mul", "[[32, 2048], [32, 4096]]", 32, 1024));
            list.Add(Quant());
            list.Add(Gemm(N.DeepGemm(7168, 2048), 5.6));
            list.Add(K(N.MoeAlignBlock, 4.0, "sgl_kernel::moe_align_block_size", "[[32, 8], [], []]", 1, 1024));
            list.Add(K(N.CountAndSort, 2.7, "sgl_kernel::moe_align_block_size", "[[32, 8]]", 1, 256));
            list.Add(K(N.FusedMoe, 38.2, "triton::fused_moe_kernel", "[[32, 7168], [32, 4096, 7168]]", 264, 128, 168, 98_304));
            list.Add(K(N.ActAndMul, 2.4, "sgl_kernel::silu_and_mul", "[[256, 2048], [256, 4096]]", 256, 1024));
            list.Add(K(N.FusedMoe, 24.5, "triton::fused_moe_kernel", "[[256, 2048], [32, 7168, 2048]]", 264, 128, 168, 98_304));
            list.Add(K(N.MoeSumReduce, 3.0, "sgl_kernel::moe_sum_reduce", "[[32, 8, 7168], [32, 7168]]", 32, 256));
        }
        else
        {
            list.Add(Quant());
            list.Add(Gemm(N.DeepGemm(4608, 7168), 21.7));
            list.Add(K(N.ActAndMul, 2.6, "sgl_kernel::silu_and_mul", "[[32, 2304], [32, 4608]]", 32, 1024));
            list.Add(Quant());
            list.Add(Gemm(N.DeepGemm(7168, 2304), 13.9));
        }
        if (tp) list.Add(AllReduce(customAllReduce));
        return list;
    }

    /// <summary>
    /// One DeepSeek-V4 decode layer: attention half then FFN half, each ending with <c>mhc_post_tilelang_kernel</c>.
    /// Compress ratio 4 adds Hadamard, KV compression, indexer-cache store, paged-MQA metadata and logits, top-k
    /// (6 kernels); ratio 128 adds Hadamard and KV compression (2); ratio 0 (sliding window only) adds none.
    /// </summary>
    public static IReadOnlyList<KernelTemplate> DeepSeekV4Layer(int compressRatio, bool tp, bool customAllReduce)
    {
        var list = new List<KernelTemplate>(41)
        {
            K(N.MhcPreBigFuse, 6.3, "sgl_kernel::mhc_pre", "[[32, 4, 7168], [4, 7168]]", 132, 256),
            K(N.MhcPreGemmSqrsum, 5.2, "sgl_kernel::mhc_pre", "[[32, 28672], [24, 28672]]", 66, 128),
            Norm(N.RmsNorm, 3.0, "sgl_kernel::rmsnorm"),
            Quant(),
            Gemm(N.DeepGemm(1536, 7168), 8.1),
            Norm(N.RmsNorm, 2.8, "sgl_kernel::rmsnorm", "[[32, 1024], [1024]]"),
            Quant(),
            Gemm(N.DeepGemm(32768, 1024), 9.4),
            K(N.FusedNormRope, 3.3, "sgl_kernel::fused_norm_rope", "[[32, 128, 512], [32, 64]]", 64, 256),
            K(N.StoreFlashMlaCache, 2.6, "sgl_kernel::fused_store_flashmla_cache", "[[32, 448], [32, 64]]", 32, 128),
        };
        if (compressRatio == 4)
        {
            list.Add(K(N.Hadamard, 2.9, "sgl_kernel::fast_hadamard_transform", "[[32, 64, 128]]", 256, 128));
            list.Add(K(N.CompressKv(4), 3.4, "sgl_kernel::fused_compress_kv", "[[32, 512], [32, 4]]", 32, 256));
            list.Add(K(N.StoreIndexerCache, 2.3, "sgl_kernel::fused_store_indexer_cache", "[[32, 128]]", 32, 128));
            list.Add(K(N.PagedMqaLogitsMetadata, 2.1, "deep_gemm::get_paged_mqa_logits_metadata", "[[32], []]", 1, 32));
            list.Add(K(N.PagedMqaLogits, 6.7, "deep_gemm::fp8_paged_mqa_logits", "[[32, 1, 64, 128], [4096, 64, 1, 132]]", 132, 384, 128, 196_608));
            list.Add(K(N.TopkTransform, 4.8, "sgl_kernel::topk_transform", "[[32, 16384]]", 32, 1024));
        }
        else if (compressRatio != 0)
        {
            list.Add(K(N.Hadamard, 2.7, "sgl_kernel::fast_hadamard_transform", "[[32, 64, 128]]", 256, 128));
            list.Add(K(N.CompressKv(compressRatio), 3.1, "sgl_kernel::fused_compress_kv", $"[[32, 512], [32, {compressRatio}]]", 32, 256));
        }
        list.Add(K(N.MlaMetadata, 3.0, "sgl_kernel::get_mla_metadata", "[[32]]", 1, 32));
        list.Add(K(N.MlaSparseFp8, compressRatio == 4 ? 31.5 : compressRatio == 0 ? 18.2 : 22.4,
            "sgl_kernel::flash_mla_with_kvcache", "[[32, 1, 128, 512], [1024, 64, 1, 656]]", 132, 384, 168, 229_632));
        list.Add(K(N.MlaCombine, 4.3, "sgl_kernel::flash_mla_with_kvcache", "[[32, 1, 128, 512]]", 32, 128));
        list.Add(Quant());
        list.Add(Gemm(N.DeepGemm(7168, 8192), 8.6));
        if (tp) list.Add(AllReduce(customAllReduce));
        list.Add(K(N.MhcPost, 5.8, "sgl_kernel::mhc_post", "[[32, 7168], [32, 4, 7168]]", 132, 256));

        list.Add(K(N.MhcPreBigFuse, 6.2, "sgl_kernel::mhc_pre", "[[32, 4, 7168], [4, 7168]]", 132, 256));
        list.Add(K(N.MhcPreGemmSqrsum, 5.1, "sgl_kernel::mhc_pre", "[[32, 28672], [24, 28672]]", 66, 128));
        list.Add(Norm(N.RmsNorm, 3.0, "sgl_kernel::rmsnorm"));
        list.Add(Bmm(N.Nvjet("128x8_64x12_2x1_v_bz_TNN"), 4.1));
        list.Add(K(N.MoeFusedGate, 5.0, "sgl_kernel::moe_fused_gate", "[[32, 256], [256]]", 1, 256));
        list.Add(Quant());
        list.Add(Gemm(N.DeepGemm(4096, 7168), 7.3));
        list.Add(K(N.SiluMulClamp, 2.2, "sgl_kernel::silu_mul_clamp", "[[32, 4096]]", 32, 1024));
        list.Add(Quant());
        list.Add(Gemm(N.DeepGemm(7168, 2048), 5.5));
        list.Add(K(N.MoeAlignBlock, 4.0, "sgl_kernel::moe_align_block_size", "[[32, 6], [], []]", 1, 1024));
        list.Add(K(N.CountAndSort, 2.6, "sgl_kernel::moe_align_block_size", "[[32, 6]]", 1, 256));
        list.Add(K(N.FusedMoe, 34.6, "triton::fused_moe_kernel", "[[32, 7168], [32, 4096, 7168]]", 264, 128, 168, 98_304));
        list.Add(K(N.SiluMulClamp, 2.4, "sgl_kernel::silu_mul_clamp", "[[192, 4096]]", 192, 1024));
        list.Add(K(N.FusedMoe, 21.9, "triton::fused_moe_kernel", "[[192, 2048], [32, 7168, 2048]]", 264, 128, 168, 98_304));
        list.Add(K(N.MoeSumReduce, 3.0, "sgl_kernel::moe_sum_reduce", "[[32, 6, 7168], [32, 7168]]", 32, 256));
        if (tp) list.Add(AllReduce(customAllReduce));
        list.Add(K(N.MhcPost, 5.9, "sgl_kernel::mhc_post", "[[32, 7168], [32, 4, 7168]]", 132, 256));
        return list;
    }

    /// <summary>One Llama/Qwen-style decode layer (vLLM kernel names, FlashAttention split-KV decode).</summary>
    public static IReadOnlyList<KernelTemplate> GenericLayer(bool tp, bool customAllReduce)
    {
        var list = new List<KernelTemplate>(12)
        {
            Norm(N.FusedAddRmsNorm, 3.6, "_C::fused_add_rms_norm", "[[32, 4096], [32, 4096], [4096]]"),
            Bmm(N.Nvjet("64x16_64x16_4x1_v_bz_TNT"), 7.2),
            K(N.RotaryEmbedding, 2.4, "_C::rotary_embedding", "[[32], [32, 4096], [32, 1024], []]", 32, 128),
            K(N.ReshapeAndCache, 2.2, "_C_cache_ops::reshape_and_cache_flash", "[[32, 8, 128], [32, 8, 128]]", 32, 1024),
            K(N.FlashAttnDecode, 14.3, "vllm::unified_attention", "[[32, 32, 128], [2048, 16, 8, 128]]", 128, 128, 255, 49_152),
            Bmm(N.Nvjet("64x8_64x16_4x1_v_bz_TNT"), 5.9),
        };
        if (tp) list.Add(AllReduce(customAllReduce));
        list.Add(Norm(N.FusedAddRmsNorm, 3.7, "_C::fused_add_rms_norm", "[[32, 4096], [32, 4096], [4096]]"));
        list.Add(Bmm(N.Nvjet("64x32_64x16_4x1_v_bz_TNT"), 11.8));
        list.Add(K(N.ActAndMul, 2.5, "_C::silu_and_mul", "[[32, 12288], [32, 24576]]", 32, 1024));
        list.Add(Bmm(N.Nvjet("64x16_64x16_4x1_v_bz_TNT"), 9.4));
        if (tp) list.Add(AllReduce(customAllReduce));
        return list;
    }

    /// <summary>
    /// One <see cref="TraceShape.DenseAddNorm"/> decode layer (vLLM names, Qwen3-8B dims): input norm (plain
    /// <c>rms_norm</c> when <paramref name="plainInputNorm"/>, i.e. model layer 0; else <c>fused_add_rms_norm</c>), QKV
    /// GEMM, q-norm and k-norm <c>rms_norm</c>, rotary, KV store, FlashAttention decode, o_proj, [AllReduce],
    /// post-attention <c>fused_add_rms_norm</c>, gate/up GEMM, SiLU-and-mul, down GEMM, [AllReduce].
    /// </summary>
    public static IReadOnlyList<KernelTemplate> DenseAddNormLayer(bool plainInputNorm, bool tp, bool customAllReduce)
    {
        var list = new List<KernelTemplate>(14)
        {
            InputNorm(plainInputNorm),
            Bmm(N.Nvjet("64x16_64x16_4x1_v_bz_TNT"), 7.2),
            Norm(N.VllmRmsNorm, 2.6, "_C::rms_norm", "[[32, 32, 128], [32, 32, 128], [128]]"),
            Norm(N.VllmRmsNorm, 2.4, "_C::rms_norm", "[[32, 8, 128], [32, 8, 128], [128]]"),
            K(N.RotaryEmbedding, 2.4, "_C::rotary_embedding", "[[32], [32, 4096], [32, 1024], []]", 32, 128),
            K(N.ReshapeAndCache, 2.2, "_C_cache_ops::reshape_and_cache_flash", "[[32, 8, 128], [32, 8, 128]]", 32, 1024),
            K(N.FlashAttnDecode, 14.3, "vllm::unified_attention", "[[32, 32, 128], [2048, 16, 8, 128]]", 128, 128, 255, 49_152),
            Bmm(N.Nvjet("64x8_64x16_4x1_v_bz_TNT"), 5.9),
        };
        if (tp) list.Add(AllReduce(customAllReduce));
        list.Add(Norm(N.VllmFusedAddRmsNorm, 3.7, "_C::fused_add_rms_norm", "[[32, 4096], [32, 4096], [4096]]"));
        list.Add(Bmm(N.Nvjet("64x32_64x16_4x1_v_bz_TNT"), 11.8));
        list.Add(K(N.VllmActAndMul, 2.5, "_C::silu_and_mul", "[[32, 12288], [32, 24576]]", 32, 1024));
        list.Add(Bmm(N.Nvjet("64x16_64x16_4x1_v_bz_TNT"), 9.4));
        if (tp) list.Add(AllReduce(customAllReduce));
        return list;
    }

    /// <summary>
    /// One <see cref="TraceShape.GptOss"/> decode layer (vLLM names as on B200): input norm (as
    /// <see cref="DenseAddNormLayer"/>), QKV GEMM, rotary, copy, FP8 quant, KV store, attention (sliding-window kernel
    /// when <paramref name="sliding"/>, else full), o_proj, [AllReduce], post-attention <c>fused_add_rms_norm</c>,
    /// router GEMM, fill, copy, MX quantize, 3 routing/top-k kernels, 2 MoE GEMMs, finalize, [AllReduce].
    /// </summary>
    public static IReadOnlyList<KernelTemplate> GptOssLayer(bool sliding, bool plainInputNorm, bool tp, bool customAllReduce)
    {
        var list = new List<KernelTemplate>(21)
        {
            InputNorm(plainInputNorm, "[[32, 2880], [32, 2880], [2880]]"),
            Bmm(N.Nvjet("64x64_64x16_2x1_2cta_v_bz_bias_TNT"), 7.6),
            K(N.RotaryEmbedding, 3.7, "_C::rotary_embedding", "[[32], [32, 4096], [32, 512], []]", 32, 128),
            K(N.CopyBf16, 3.5, "aten::copy_", "[[32, 4096], [32, 4096]]", 64, 128),
            K(N.VllmScaledFp8Quant, 2.7, "_C::static_scaled_fp8_quant", "[[32, 4096], []]", 32, 256),
            K(N.VllmReshapeAndCacheFp8, 4.5, "_C_cache_ops::reshape_and_cache_flash", "[[32, 8, 64], [32, 8, 64]]", 32, 512),
            K(sliding ? N.FmhaSliding : N.FmhaFull, sliding ? 11.7 : 15.1, "vllm::unified_attention_with_output", "[[32, 64, 64], [4096, 16, 8, 64]]", 148, 384, 168, 196_608),
            Bmm(N.Nvjet("144x128_64x6_2x1_v_bz_bias_TNN"), 6.2),
        };
        if (tp) list.Add(AllReduce(customAllReduce));
        list.Add(Norm(N.VllmFusedAddRmsNorm, 5.9, "_C::fused_add_rms_norm", "[[32, 2880], [32, 2880], [2880]]"));
        list.Add(Bmm(N.Nvjet("64x16_64x16_2x4_2cta_h_bz_bias_TNT"), 6.5));
        list.Add(K(N.FillBf16, 3.2, "aten::fill_", "[[32, 2880], []]", 32, 128));
        list.Add(K(N.CopyBf16, 7.0, "aten::copy_", "[[32, 2880], [32, 2880]]", 64, 128));
        list.Add(K(N.MxQuantize, 4.6, "trtllm::mxfp8_quantize", "[[32, 2880]]", 32, 256));
        list.Add(K(N.RoutingHistogramScores, 2.8, "trtllm::fused_moe", "[[32, 128]]", 1, 1024));
        list.Add(K(N.RoutingHistogram, 4.9, "trtllm::fused_moe", "[[32, 4]]", 16, 1024));
        list.Add(K(N.RoutingOffsets, 4.7, "trtllm::fused_moe", "[[32, 4]]", 16, 1024));
        list.Add(K(N.MoeGemm1SwiGlu, 101.5, "trtllm::fused_moe", "[[32, 2880], [128, 5760, 1440]]", 148, 384, 168, 212_992));
        list.Add(K(N.MoeGemm2, 60.5, "trtllm::fused_moe", "[[128, 2880], [128, 2880, 1440]]", 148, 384, 168, 212_992));
        list.Add(K(N.MoeFinalize, 7.3, "trtllm::fused_moe", "[[32, 4, 2880], [32, 2880]]", 32, 256));
        if (tp) list.Add(AllReduce(customAllReduce));
        return list;
    }

    /// <summary>
    /// One <see cref="TraceShape.EagerHf"/> layer (HF transformers eager, Qwen1.5 on H100), 42 kernels: input RMSNorm
    /// (<see cref="EagerRmsNorm"/>, 8), q/k/v GEMMs, eager rotary on q and on k (mul, neg, cat, mul, add each), 3 KV
    /// copies, <c>pytorch_flash::flash_fwd_kernel</c>, a copy, o_proj, residual add, post-attention RMSNorm (8), gate
    /// GEMM, SiLU, up GEMM, mul, down GEMM, residual add.
    /// </summary>
    public static IReadOnlyList<KernelTemplate> EagerHfLayer()
    {
        var list = new List<KernelTemplate>(42);
        list.AddRange(EagerRmsNorm());
        for (int i = 0; i < 3; i++) list.Add(EagerGemm(31.4));
        for (int i = 0; i < 2; i++)
        {
            list.Add(K(N.MulBf16, 32.0, "aten::mul", "[[1, 16, 1024, 64], [1, 1, 1024, 64]]", 2048, 128));
            list.Add(K(N.NegBf16, 12.4, "aten::neg", "[[1, 16, 1024, 32]]", 1024, 128));
            list.Add(K(N.CatCopy4d, 41.5, "aten::cat", "[[1, 16, 1024, 32], [1, 16, 1024, 32]]", 1024, 128));
            list.Add(K(N.MulBf16, 23.6, "aten::mul", "[[1, 16, 1024, 64], [1, 1, 1024, 64]]", 2048, 128));
            list.Add(K(N.AddBf16, 35.1, "aten::add", "[[1, 16, 1024, 64], [1, 16, 1024, 64]]", 2048, 128));
        }
        for (int i = 0; i < 3; i++) list.Add(K(N.CopyBf16, 29.0, "aten::copy_", "[[1, 1024, 16, 64], [1, 16, 1024, 64]]", 2048, 128));
        list.Add(K(N.PytorchFlashFwd, 114.5, "aten::_flash_attention_forward", "[[1, 1024, 16, 64], [1, 1024, 16, 64], [1, 1024, 16, 64]]", 128, 128, 255, 49_152));
        list.Add(K(N.CopyBf16, 27.5, "aten::copy_", "[[1, 1024, 16, 64], [1, 1024, 16, 64]]", 2048, 128));
        list.Add(EagerGemm(31.6));
        list.Add(K(N.AddBf16Vectorized, 18.8, "aten::add", "[[1, 1024, 1024], [1, 1024, 1024]]", 1024, 128));
        list.AddRange(EagerRmsNorm());
        list.Add(EagerGemm(84.7));
        list.Add(K(N.SiluEager, 38.2, "aten::silu", "[[1, 1024, 2816]]", 2816, 128));
        list.Add(EagerGemm(84.7));
        list.Add(K(N.MulBf16Vectorized, 51.5, "aten::mul", "[[1, 1024, 2816], [1, 1024, 2816]]", 2816, 128));
        list.Add(EagerGemm(75.5));
        list.Add(K(N.AddBf16Vectorized, 17.5, "aten::add", "[[1, 1024, 1024], [1, 1024, 1024]]", 1024, 128));
        return list;
    }

    /// <summary>
    /// An eager RMSNorm as PyTorch runs it, 8 kernels: cast to float (copy), pow, mean, add eps, rsqrt, mul, cast back
    /// to bf16 (copy), weight mul. Its first kernel is the norm's (and so the layer's) start.
    /// </summary>
    public static IReadOnlyList<KernelTemplate> EagerRmsNorm() =>
    [
        K(N.CopyToFloat, 28.9, "aten::to", "[[1, 1024, 1024], []]", 1024, 128),
        K(N.PowTensorScalar, 26.4, "aten::pow", "[[1, 1024, 1024], []]", 1024, 128),
        K(N.MeanReduce, 14.6, "aten::mean", "[[1, 1024, 1024], [], [], []]", 1024, 512),
        K(N.AddScalarFloat, 1.6, "aten::add", "[[1, 1024, 1], []]", 4, 128),
        K(N.Rsqrt, 1.6, "aten::rsqrt", "[[1, 1024, 1]]", 4, 128),
        K(N.MulFloat, 32.6, "aten::mul", "[[1, 1024, 1024], [1, 1024, 1]]", 2048, 128),
        K(N.CopyToBf16, 18.2, "aten::to", "[[1, 1024, 1024], []]", 1024, 128),
        K(N.MulBf16, 25.3, "aten::mul", "[[1024], [1, 1024, 1024]]", 2048, 128),
    ];

    /// <summary>
    /// The shape's default prologue: <see cref="DefaultPrologue"/> for every shape but <see cref="TraceShape.EagerHf"/>,
    /// whose prologue is the embedding, position arange, and the rotary cos/sin cache (10 kernels).
    /// </summary>
    public static IReadOnlyList<KernelTemplate> ShapePrologue(TraceShape shape, bool tp, bool customAllReduce) => shape switch
    {
        TraceShape.EagerHf =>
        [
            K(N.EmbeddingLarge, 51.8, "aten::embedding", "[[151936, 1024], [1, 1024]]", 1024, 128),
            K(N.Arange, 1.5, "aten::arange", "[[], [], [], [], []]", 1, 128),
            K(N.SgemmSimt, 3.5, "aten::matmul", "[[1, 32, 1], [1, 1, 1024]]", 32, 256),
            K(N.CatCopyFloat, 3.5, "aten::cat", "[[1, 1024, 32], [1, 1024, 32]]", 64, 128),
            K(N.Cos, 2.1, "aten::cos", "[[1, 1024, 64]]", 64, 128),
            K(N.Sin, 2.0, "aten::sin", "[[1, 1024, 64]]", 64, 128),
            K(N.MulScalarFloat, 1.6, "aten::mul", "[[1, 1024, 64], []]", 64, 128),
            K(N.MulScalarFloat, 1.6, "aten::mul", "[[1, 1024, 64], []]", 64, 128),
            K(N.CopyToBf16, 1.5, "aten::to", "[[1, 1024, 64], []]", 64, 128),
            K(N.CopyToBf16, 1.5, "aten::to", "[[1, 1024, 64], []]", 64, 128),
        ],
        _ => DefaultPrologue(tp, customAllReduce),
    };

    /// <summary>
    /// The shape's default epilogue: <see cref="DefaultEpilogue"/> for DeepSeek-V3/V4 and Generic; DenseAddNorm and
    /// GptOss open it with a <c>fused_add_rms_norm</c> final norm (last layer's residual add + final norm); EagerHf's is
    /// an eager RMSNorm (8), the lm_head GEMM, the logits cast and argmax (11 kernels).
    /// </summary>
    public static IReadOnlyList<KernelTemplate> ShapeEpilogue(TraceShape shape, bool tp)
    {
        switch (shape)
        {
            case TraceShape.DenseAddNorm:
            case TraceShape.GptOss:
                var list = new List<KernelTemplate>
                {
                    Norm(N.VllmFusedAddRmsNorm, 3.6, "_C::fused_add_rms_norm", "[[32, 4096], [32, 4096], [4096]]"),
                    Bmm(N.Nvjet("192x8_64x8_4x1_v_bz_TNT"), 21.4),
                };
                if (tp) list.Add(AllGather());
                list.Add(K(N.ArgMax, 6.8, "aten::argmax", "[[32, 151936], [], []]", 32, 512));
                return list;
            case TraceShape.EagerHf:
                return
                [
                    .. EagerRmsNorm(),
                    EagerGemm(96.2),
                    K(N.CopyToFloat, 2.6, "aten::to", "[[1, 1, 151936], []]", 64, 128),
                    K(N.ArgMax, 6.8, "aten::argmax", "[[1, 151936], [], []]", 1, 512),
                ];
            default:
                return DefaultEpilogue(tp);
        }
    }

    /// <summary>A pipeline-parallel stage boundary transfer (NCCL <c>SendRecv</c>): the receive opening a later stage's pass or the send closing an earlier stage's.</summary>
    public static KernelTemplate PipelineTransfer(bool send) =>
        new(N.NcclSendRecv, send ? 8.1 : 9.3)
        {
            CpuOp = send ? "c10d::send" : "c10d::recv_", InputDims = "[[32, 7168]]", GridX = 1, BlockX = 640, Registers = 96, IsCollective = true,
        };

    /// <summary>Default prologue: the embedding lookup, plus its AllReduce under tensor parallelism.</summary>
    public static IReadOnlyList<KernelTemplate> DefaultPrologue(bool tp, bool customAllReduce)
    {
        var list = new List<KernelTemplate> { K(N.Embedding, 3.4, "aten::embedding", "[[16160, 7168], [32]]", 28, 128) };
        if (tp) list.Add(AllReduce(customAllReduce));
        return list;
    }

    /// <summary>Default epilogue: final RMSNorm, lm_head GEMM, [AllGather of the logits under tp], argmax sampling.</summary>
    public static IReadOnlyList<KernelTemplate> DefaultEpilogue(bool tp)
    {
        var list = new List<KernelTemplate>
        {
            Norm(N.RmsNorm, 3.2, "sgl_kernel::rmsnorm"),
            Bmm(N.Nvjet("256x8_64x6_2x1_v_bz_TNT"), 21.4),
        };
        if (tp) list.Add(AllGather());
        list.Add(K(N.ArgMax, 6.8, "aten::argmax", "[[32, 129280], [], []]", 32, 512));
        return list;
    }

    /// <summary>MTP block head (before its layer): enorm, hnorm, concat, eh_proj GEMM.</summary>
    public static IReadOnlyList<KernelTemplate> MtpHead() =>
    [
        Norm(N.RmsNorm, 3.0, "sgl_kernel::rmsnorm"),
        Norm(N.RmsNorm, 3.0, "sgl_kernel::rmsnorm"),
        K(N.CatCopy, 2.1, "aten::cat", "[[32, 7168], [32, 7168]]", 112, 128),
        Bmm(N.Nvjet("64x16_64x16_4x1_v_bz_TNT"), 9.8),
    ];

    private static KernelTemplate AllGather() =>
        new(N.NcclAllGather, 12.6) { CpuOp = "c10d::_allgather_base_", InputDims = "[[32, 129280], [32, 16160]]", GridX = 4, BlockX = 512, Registers = 96, IsCollective = true };

    private static KernelTemplate InputNorm(bool plain, string dims = "[[32, 4096], [32, 4096], [4096]]") => plain
        ? Norm(N.VllmRmsNorm, 3.1, "_C::rms_norm", dims)
        : Norm(N.VllmFusedAddRmsNorm, 3.6, "_C::fused_add_rms_norm", dims);

    private static KernelTemplate EagerGemm(double us) =>
        K(N.CublasGemmBf16, us, "aten::linear", "[[1, 1024, 1024], [1024, 1024], [1024]]", 132, 384, 168, 213_504);

    private static KernelTemplate K(string name, double us, string cpuOp, string dims, int grid, int block, int regs = 32, int smem = 0) =>
        new(name, us) { CpuOp = cpuOp, InputDims = dims, GridX = grid, BlockX = block, Registers = regs, SharedMemoryBytes = smem };

    private static KernelTemplate Norm(string name, double us, string cpuOp, string dims = "[[32, 7168], [7168]]") =>
        K(name, us, cpuOp, dims, 32, 896, 28);

    private static KernelTemplate Quant() =>
        K(N.Quant, 2.4, "sgl_kernel::sgl_per_token_group_quant_fp8", "[[32, 7168], [32, 7168], [32, 56]]", 112, 256, 26);

    private static KernelTemplate Gemm(string name, double us) =>
        K(name, us, "deep_gemm::fp8_gemm_nt", "[[32, 7168], [32, 56], [2112, 7168], [17, 56]]", 132, 384, 168, 232_448);

    private static KernelTemplate Bmm(string name, double us) =>
        K(name, us, "aten::mm", "[[32, 7168], [7168, 256]]", 132, 384, 168, 220_160);

    private static KernelTemplate AllReduce(bool custom) => custom
        ? new KernelTemplate(N.CustomAllReduce, 9.7) { CpuOp = "sgl_kernel::all_reduce", InputDims = "[[32, 7168]]", GridX = 36, BlockX = 512, Registers = 40, IsCollective = true }
        : new KernelTemplate(N.NcclAllReduce, 17.9) { CpuOp = "c10d::allreduce_", InputDims = "[[32, 7168]]", GridX = 4, BlockX = 512, Registers = 96, IsCollective = true };
}
