namespace LlmPipeline.TraceGen;

/// <summary>
/// Exact kernel names used by the generator (realistic CUPTI names of SGLang / FlashMLA / DeepGEMM / FlashInfer /
/// NCCL / PyTorch kernels, reference-scripts.md §2.3-2.4). The anchors are <see cref="MlaCombine"/> (<c>dsv3_mla</c>)
/// and <see cref="MhcPost"/> (<c>dsv4_csa_hca</c>); no other name contains their anchor substrings.
/// </summary>
public static class KernelNames
{
    public const string RmsNorm = "void flashinfer::norm::RMSNormKernel<8u, __nv_bfloat16>(__nv_bfloat16*, __nv_bfloat16*, __nv_bfloat16*, unsigned int, unsigned int, unsigned int, unsigned int, float, float)";
    public const string FusedAddRmsNorm = "void flashinfer::norm::FusedAddRMSNormKernel<8u, __nv_bfloat16>(__nv_bfloat16*, __nv_bfloat16*, __nv_bfloat16*, unsigned int, unsigned int, unsigned int, float, float)";
    public const string Quant = "void per_token_group_quant_8bit_kernel<__nv_bfloat16, __nv_fp8_e4m3, false>(__nv_bfloat16 const*, void*, float*, int, int, int, float, float, float, int, int)";
    public const string DeepGemmPrefix = "void deep_gemm::sm90_fp8_gemm_1d2d_impl<(cute::UMMA::Major)0, ";
    public const string MlaMetadata = "void smxx::decode::get_mla_metadata_kernel<64, 132>(GetDecodingMetadataParams)";
    public const string MlaDense = "void sm90::decode::dense::flash_fwd_splitkv_mla_kernel<cutlass::bfloat16_t, 576, 512, 64>(DecodingParams)";
    public const string MlaSparseFp8 = "void sm90::decode::sparse_fp8::flash_fwd_splitkv_mla_fp8_sparse_kernel<(ModelType)1, 64>(DecodingParams)";
    /// <summary>The <c>dsv3_mla</c> anchor: once per layer.</summary>
    public const string MlaCombine = "void smxx::decode::flash_fwd_mla_combine_kernel<cutlass::bfloat16_t, 512, 64>(DecodingParams)";
    public const string DeepseekRope = "void deepseek_rope_kernel<__nv_bfloat16, 64>(__nv_bfloat16*, __nv_bfloat16*, float const*, long const*, int, int, int, int)";
    public const string FusedNormRope = "void fused_norm_rope_kernel<__nv_bfloat16, 64>(__nv_bfloat16*, __nv_bfloat16 const*, float const*, long const*, float, int, int)";
    public const string StoreFlashMlaCache = "void fused_store_flashmla_cache_kernel<__nv_bfloat16, 656>(__nv_bfloat16 const*, __nv_bfloat16 const*, unsigned char*, long const*, int, int)";
    public const string NcclAllReduce = "ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)";
    public const string CustomAllReduce = "void sglang::cross_device_reduce_1stage<__nv_bfloat16, 8>(sglang::RankData*, sglang::RankSignals, sglang::Signal*, __nv_bfloat16*, int, int)";
    public const string NcclAllGather = "ncclDevKernel_AllGather_RING_LL(ncclDevKernelArgsStorage<4096ul>)";
    public const string MoeFusedGate = "void moe_fused_gate_kernel<float, 256, 8, 4, 32, 1>(void*, void*, float*, int*, long, long, long, long, long, double)";
    public const string MoeAlignBlock = "void moe_align_block_size_kernel<int>(int const*, int*, int*, int*, int, int, int, unsigned long, int*, bool)";
    public const string CountAndSort = "void count_and_sort_expert_tokens_kernel<int>(int const*, int*, int*, unsigned long)";
    public const string FusedMoe = "fused_moe_kernel";
    public const string MoeSumReduce = "void moe_sum_reduce_kernel<__nv_bfloat16, 8, 256>(__nv_bfloat16 const*, __nv_bfloat16*, long, long, long, long, long, float)";
    public const string ActAndMul = "void flashinfer::activation::act_and_mul_kernel<__nv_bfloat16, &(float flashinfer::activation::silu<float>(float const&))>(__nv_bfloat16*, __nv_bfloat16 const*, int)";
    public const string SiluMulClamp = "void silu_mul_clamp_kernel<__nv_bfloat16, 8>(__nv_bfloat16*, __nv_bfloat16 const*, int, float)";
    /// <summary>The <c>dsv4_csa_hca</c> anchor: closes each half (attention, FFN) of a DeepSeek-V4 layer.</summary>
    public const string MhcPost = "mhc_post_tilelang_kernel";
    public const string MhcPreBigFuse = "mhc_pre_big_fuse_tilelang_kernel";
    public const string MhcPreGemmSqrsum = "mhc_pre_gemm_sqrsum_tilelang_kernel";
    public const string Hadamard = "void fast_hadamard_transform_kernel<fast_hadamard_transform_kernel_traits<4, 7, __nv_bfloat16> >(HadamardParamsBase)";
    public const string StoreIndexerCache = "void fused_store_indexer_cache_kernel<__nv_bfloat16, 128>(__nv_bfloat16 const*, unsigned char*, float*, long const*, int)";
    public const string PagedMqaLogitsMetadata = "void deep_gemm::sched::smxx_paged_mqa_logits_metadata<64u, 132u>(unsigned int, unsigned int const*, unsigned int*)";
    public const string PagedMqaLogits = "void deep_gemm::sm90_fp8_paged_mqa_logits<64u, 128u, 1u, 64u, 4u, 132u, 128u, 128u>(unsigned int, unsigned long, unsigned int const*, unsigned int const*, unsigned int const*, unsigned int*, float*, float*, CUtensorMap, CUtensorMap, CUtensorMap)";
    public const string TopkTransform = "void topk_transform_decode_kernel<2048>(float const*, int*, int const*, int const*, int, int)";
    public const string Embedding = "void at::native::(anonymous namespace)::indexSelectSmallIndex<c10::BFloat16, long, unsigned int, 2, 2, -2>(at::cuda::detail::TensorInfo<c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<c10::BFloat16 const, unsigned int>, at::cuda::detail::TensorInfo<long const, unsigned int>, int, int, unsigned int, unsigned int, long)";
    public const string ArgMax = "void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4, 4> >(at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4, 4>)";
    public const string CatCopy = "void at::native::(anonymous namespace)::CatArrayBatchedCopy<at::native::(anonymous namespace)::OpaqueType<2u>, unsigned int, 2, 128, 1>(at::native::(anonymous namespace)::OpaqueType<2u>*, at::native::(anonymous namespace)::CatArrInputTensorMetadata<at::native::(anonymous namespace)::OpaqueType<2u>, unsigned int, 128, 1>, at::native::(anonymous namespace)::TensorSizeStride<unsigned int, 4u>, int, unsigned int)";
    public const string RotaryEmbedding = "void vllm::rotary_embedding_kernel<c10::BFloat16, true>(long const*, c10::BFloat16*, c10::BFloat16*, c10::BFloat16 const*, int, long, long, long, int, int, int)";
    public const string ReshapeAndCache = "void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, __nv_bfloat16, (vllm::Fp8KVCacheDataType)0>(__nv_bfloat16 const*, __nv_bfloat16 const*, __nv_bfloat16*, __nv_bfloat16*, long const*, long, long, long, long, int, int, int, float const*, float const*)";
    public const string FlashAttnDecode = "void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t> >, false, false, false, false, true, false, false, false>(flash::Flash_fwd_params)";

    /// <summary>A DeepGEMM FP8 1D2D GEMM name for an N×K weight.</summary>
    public static string DeepGemm(int n, int k) =>
        $"{DeepGemmPrefix}{n}u, {k}u, 0u, 64u, 128u, 128u, 1u, 8u, 128u, 128u, 1u, 8u, 1u, false, (deep_gemm::GemmType)0, cutlass::bfloat16_t, deep_gemm::EpilogueIdentity>(float*, int*, unsigned int, unsigned int, unsigned int, CUtensorMap, CUtensorMap, CUtensorMap, CUtensorMap)";

    /// <summary>A cuBLAS (nvjet) GEMM name with the given tile string, e.g. <c>64x8_64x16_4x1_v_bz_TNT</c>.</summary>
    public static string Nvjet(string tile) => "nvjet_tst_" + tile;

    /// <summary>The compressed-KV kernel of a V4 compress-ratio layer.</summary>
    public static string CompressKv(int ratio) =>
        $"void fused_compress_kv_kernel<__nv_bfloat16, {ratio}>(__nv_bfloat16 const*, __nv_bfloat16*, float const*, long const*, int, int)";
}
