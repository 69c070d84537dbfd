namespace LlmPipeline.TraceGen;

/// <summary>
/// Exact kernel names used by the generator (realistic CUPTI names of SGLang / FlashMLA / DeepGEMM / FlashInfer /
/// NCCL / PyTorch kernels, as docs/profiles.md categorizes and simplifies them). The anchors are <see cref="MlaCombine"/> (<c>dsv3_mla</c>)
/// and <see cref="MhcPost"/> (<c>dsv4_csa_hca</c>); no other name contains their anchor substrings.
/// </summary>
public static class KernelNames
{
    /// <summary>FlashInfer's RMSNorm (SGLang's <c>rmsnorm</c>): the q/kv latent norms of a DeepSeek layer, MTP head norms and the default final norm. Category <c>rmsnorm</c>.</summary>
    public const string RmsNorm = "void flashinfer::norm::RMSNormKernel<8u, __nv_bfloat16>(__nv_bfloat16*, __nv_bfloat16*, __nv_bfloat16*, unsigned int, unsigned int, unsigned int, unsigned int, float, float)";
    /// <summary>FlashInfer's fused residual add + RMSNorm (SGLang's <c>fused_add_rmsnorm</c>): the input and post-attention norms of a DeepSeek-V3 layer and the input norm of a <see cref="TraceShape.Generic"/> layer. Category <c>rmsnorm</c>.</summary>
    public const string FusedAddRmsNorm = "void flashinfer::norm::FusedAddRMSNormKernel<8u, __nv_bfloat16>(__nv_bfloat16*, __nv_bfloat16*, __nv_bfloat16*, unsigned int, unsigned int, unsigned int, float, float)";
    /// <summary>SGLang's per-token-group FP8 quantization, run before every DeepGEMM FP8 GEMM. Category <c>quant</c>.</summary>
    public const string Quant = "void per_token_group_quant_8bit_kernel<__nv_bfloat16, __nv_fp8_e4m3, false>(__nv_bfloat16 const*, void*, float*, int, int, int, float, float, float, int, int)";
    /// <summary>The start of every DeepGEMM FP8 1D2D GEMM name, up to the template's N and K; <see cref="DeepGemm"/> completes it. Category <c>gemm_fp8</c>.</summary>
    public const string DeepGemmPrefix = "void deep_gemm::sm90_fp8_gemm_1d2d_impl<(cute::UMMA::Major)0, ";
    /// <summary>FlashMLA's decoding-metadata kernel, once per layer before the MLA attention. Category <c>mla_metadata</c>.</summary>
    public const string MlaMetadata = "void smxx::decode::get_mla_metadata_kernel<64, 132>(GetDecodingMetadataParams)";
    /// <summary>FlashMLA's dense split-KV MLA decode attention of a DeepSeek-V3 layer. Category <c>mla</c>.</summary>
    public const string MlaDense = "void sm90::decode::dense::flash_fwd_splitkv_mla_kernel<cutlass::bfloat16_t, 576, 512, 64>(DecodingParams)";
    /// <summary>FlashMLA's sparse FP8 split-KV MLA decode attention of a DeepSeek-V4 layer. Category <c>mla</c>.</summary>
    public const string MlaSparseFp8 = "void sm90::decode::sparse_fp8::flash_fwd_splitkv_mla_fp8_sparse_kernel<(ModelType)1, 64>(DecodingParams)";
    /// <summary>The <c>dsv3_mla</c> anchor: once per layer.</summary>
    public const string MlaCombine = "void smxx::decode::flash_fwd_mla_combine_kernel<cutlass::bfloat16_t, 512, 64>(DecodingParams)";
    /// <summary>SGLang's DeepSeek rotary embedding (DeepSeek-V3 layers). Category <c>rope</c>.</summary>
    public const string DeepseekRope = "void deepseek_rope_kernel<__nv_bfloat16, 64>(__nv_bfloat16*, __nv_bfloat16*, float const*, long const*, int, int, int, int)";
    /// <summary>SGLang's fused norm + rotary kernel (DeepSeek-V4 layers). Category <c>rope</c>.</summary>
    public const string FusedNormRope = "void fused_norm_rope_kernel<__nv_bfloat16, 64>(__nv_bfloat16*, __nv_bfloat16 const*, float const*, long const*, float, int, int)";
    /// <summary>SGLang's store of the compressed KV into the FlashMLA cache, once per DeepSeek layer. Category <c>mla_cache_store</c>.</summary>
    public const string StoreFlashMlaCache = "void fused_store_flashmla_cache_kernel<__nv_bfloat16, 656>(__nv_bfloat16 const*, __nv_bfloat16 const*, unsigned char*, long const*, int, int)";
    /// <summary>NCCL's ring all-reduce (bf16, LL protocol): the tensor-parallel all-reduce after attention and after the MLP / MoE, and in the prologue, unless the custom all-reduce is asked for. Category <c>allreduce</c>.</summary>
    public const string NcclAllReduce = "ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)";
    /// <summary>SGLang's one-stage custom all-reduce, used instead of <see cref="NcclAllReduce"/> when <see cref="TraceSpec.CustomAllReduce"/> is set. Category <c>allreduce</c>.</summary>
    public const string CustomAllReduce = "void sglang::cross_device_reduce_1stage<__nv_bfloat16, 8>(sglang::RankData*, sglang::RankSignals, sglang::Signal*, __nv_bfloat16*, int, int)";
    /// <summary>NCCL's ring all-gather of the vocabulary-parallel logits in the epilogue (tensor parallelism only). Category <c>comm</c>.</summary>
    public const string NcclAllGather = "ncclDevKernel_AllGather_RING_LL(ncclDevKernelArgsStorage<4096ul>)";
    /// <summary>SGLang's fused MoE gate (routing scores and top-k) of a MoE layer. Category <c>moe_gate</c>.</summary>
    public const string MoeFusedGate = "void moe_fused_gate_kernel<float, 256, 8, 4, 32, 1>(void*, void*, float*, int*, long, long, long, long, long, double)";
    /// <summary>SGLang's <c>moe_align_block_size</c>: pads each expert's token list to the GEMM block size. Category <c>moe_align</c>.</summary>
    public const string MoeAlignBlock = "void moe_align_block_size_kernel<int>(int const*, int*, int*, int*, int, int, int, unsigned long, int*, bool)";
    /// <summary>SGLang's expert-token count and sort, after the block alignment. Category <c>moe_sort</c>.</summary>
    public const string CountAndSort = "void count_and_sort_expert_tokens_kernel<int>(int const*, int*, int*, unsigned long)";
    /// <summary>The Triton <c>fused_moe_kernel</c>, twice per MoE layer (gate/up, then down projection of the routed experts). Category <c>moe</c>.</summary>
    public const string FusedMoe = "fused_moe_kernel";
    /// <summary>SGLang's sum of the top-k experts' outputs per token, closing a MoE block. Category <c>moe</c>.</summary>
    public const string MoeSumReduce = "void moe_sum_reduce_kernel<__nv_bfloat16, 8, 256>(__nv_bfloat16 const*, __nv_bfloat16*, long, long, long, long, long, float)";
    /// <summary>FlashInfer's SiLU-and-multiply of a DeepSeek-V3 or Generic MLP. Category <c>activation</c>.</summary>
    public const string ActAndMul = "void flashinfer::activation::act_and_mul_kernel<__nv_bfloat16, &(float flashinfer::activation::silu<float>(float const&))>(__nv_bfloat16*, __nv_bfloat16 const*, int)";
    /// <summary>SGLang's clamped SiLU-and-multiply of a DeepSeek-V4 MoE block. Category <c>activation</c>.</summary>
    public const string SiluMulClamp = "void silu_mul_clamp_kernel<__nv_bfloat16, 8>(__nv_bfloat16*, __nv_bfloat16 const*, int, float)";
    /// <summary>The <c>dsv4_csa_hca</c> anchor: closes each half (attention, FFN) of a DeepSeek-V4 layer.</summary>
    public const string MhcPost = "mhc_post_tilelang_kernel";
    /// <summary>DeepSeek-V4's mHC pre-mixing (fused), opening each half of a layer. Category <c>mhc_pre_fuse</c> under <c>dsv4_csa_hca</c>, <c>other</c> under the universal rules alone.</summary>
    public const string MhcPreBigFuse = "mhc_pre_big_fuse_tilelang_kernel";
    /// <summary>DeepSeek-V4's mHC pre GEMM with its square sum, after <see cref="MhcPreBigFuse"/>. Category <c>mhc_pre_gemm</c> under <c>dsv4_csa_hca</c>, <c>gemm</c> under the universal rules alone.</summary>
    public const string MhcPreGemmSqrsum = "mhc_pre_gemm_sqrsum_tilelang_kernel";
    /// <summary>The fast Hadamard transform of a DeepSeek-V4 layer with compress ratio 4 or 128. Category <c>hadamard</c> under <c>dsv4_csa_hca</c>, <c>other</c> under the universal rules alone.</summary>
    public const string Hadamard = "void fast_hadamard_transform_kernel<fast_hadamard_transform_kernel_traits<4, 7, __nv_bfloat16> >(HadamardParamsBase)";
    /// <summary>SGLang's store into the sparse-attention indexer cache (compress ratio 4 layers). Category <c>indexer_store</c>.</summary>
    public const string StoreIndexerCache = "void fused_store_indexer_cache_kernel<__nv_bfloat16, 128>(__nv_bfloat16 const*, unsigned char*, float*, long const*, int)";
    /// <summary>DeepGEMM's scheduling metadata for the paged MQA logits (compress ratio 4 layers). Category <c>paged_mqa</c>.</summary>
    public const string PagedMqaLogitsMetadata = "void deep_gemm::sched::smxx_paged_mqa_logits_metadata<64u, 132u>(unsigned int, unsigned int const*, unsigned int*)";
    /// <summary>DeepGEMM's FP8 paged MQA logits of the sparse-attention indexer (compress ratio 4 layers). Category <c>paged_mqa</c>.</summary>
    public const string PagedMqaLogits = "void deep_gemm::sm90_fp8_paged_mqa_logits<64u, 128u, 1u, 64u, 4u, 132u, 128u, 128u>(unsigned int, unsigned long, unsigned int const*, unsigned int const*, unsigned int const*, unsigned int*, float*, float*, CUtensorMap, CUtensorMap, CUtensorMap)";
    /// <summary>SGLang's top-k selection of the sparse-attention indexer (compress ratio 4 layers). Category <c>topk</c>.</summary>
    public const string TopkTransform = "void topk_transform_decode_kernel<2048>(float const*, int*, int const*, int const*, int, int)";
    /// <summary>PyTorch's <c>index_select</c> kernel of the embedding lookup (small index), the default prologue's first kernel: once per step. Category <c>copy</c>.</summary>
    public const string Embedding = "void at::native::(anonymous namespace)::indexSelectSmallIndex<c10::BFloat16, long, unsigned int, 2, 2, -2>(at::cuda::detail::TensorInfo<c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<c10::BFloat16 const, unsigned int>, at::cuda::detail::TensorInfo<long const, unsigned int>, int, int, unsigned int, unsigned int, long)";
    /// <summary>PyTorch's argmax reduction over the vocabulary: greedy sampling, the last kernel of every epilogue. Category <c>sampling</c>.</summary>
    public const string ArgMax = "void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4, 4> >(at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4, 4>)";
    /// <summary>PyTorch's batched concatenation copy (two tensors, 2-byte elements): the MTP head's concat of the embedding and hidden state. Category <c>copy</c>.</summary>
    public const string CatCopy = "void at::native::(anonymous namespace)::CatArrayBatchedCopy<at::native::(anonymous namespace)::OpaqueType<2u>, unsigned int, 2, 128, 1>(at::native::(anonymous namespace)::OpaqueType<2u>*, at::native::(anonymous namespace)::CatArrInputTensorMetadata<at::native::(anonymous namespace)::OpaqueType<2u>, unsigned int, 128, 1>, at::native::(anonymous namespace)::TensorSizeStride<unsigned int, 4u>, int, unsigned int)";
    /// <summary>vLLM's rotary embedding, once per layer of the vLLM-style shapes (Generic, DenseAddNorm, GptOss). Category <c>rope</c>.</summary>
    public const string RotaryEmbedding = "void vllm::rotary_embedding_kernel<c10::BFloat16, true>(long const*, c10::BFloat16*, c10::BFloat16*, c10::BFloat16 const*, int, long, long, long, int, int, int)";
    /// <summary>vLLM's <c>reshape_and_cache_flash</c> (bf16 cache): writes the layer's K and V into the paged KV cache. Category <c>kv_cache</c>.</summary>
    public const string ReshapeAndCache = "void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, __nv_bfloat16, (vllm::Fp8KVCacheDataType)0>(__nv_bfloat16 const*, __nv_bfloat16 const*, __nv_bfloat16*, __nv_bfloat16*, long const*, long, long, long, long, int, int, int, float const*, float const*)";
    /// <summary>FlashAttention-2's split-KV decode attention as vLLM runs it (Generic and DenseAddNorm layers). Category <c>attention</c>.</summary>
    public const string FlashAttnDecode = "void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t> >, false, false, false, false, true, false, false, false>(flash::Flash_fwd_params)";

    // ---- vLLM dense / gpt-oss decode (real CUPTI names of vLLM's CUDA kernels, B200/H100 traces)
    /// <summary>vLLM's plain RMSNorm: layer 0's input norm and Qwen3's q/k norms.</summary>
    public const string VllmRmsNorm = "void vllm::rms_norm_kernel<c10::BFloat16, 8, 2>(c10::BFloat16*, c10::BFloat16 const*, long, long, long, long, long, c10::BFloat16 const*, float, int, int)";
    /// <summary>vLLM's fused residual add + RMSNorm: the input norm of layers 1.., every post-attention norm and the final norm.</summary>
    public const string VllmFusedAddRmsNorm = "std::enable_if<(((8)>(0)))&&vllm::_typeConvert<c10::BFloat16>::exists, void>::type vllm::fused_add_rms_norm_kernel<c10::BFloat16, 8>(c10::BFloat16*, long, c10::BFloat16*, c10::BFloat16 const*, float, int, int)";
    /// <summary>vLLM's SiLU-and-multiply of a DenseAddNorm MLP. Category <c>activation</c>.</summary>
    public const string VllmActAndMul = "void vllm::act_and_mul_kernel<c10::BFloat16, &(c10::BFloat16 vllm::silu_kernel<c10::BFloat16>(c10::BFloat16 const&)), true>(c10::BFloat16*, c10::BFloat16 const*, int)";
    /// <summary>vLLM's <c>reshape_and_cache_flash</c> into an FP8 KV cache (gpt-oss layers). Category <c>kv_cache</c>.</summary>
    public const string VllmReshapeAndCacheFp8 = "void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, unsigned char, (vllm::Fp8KVCacheDataType)1>(__nv_bfloat16 const*, __nv_bfloat16 const*, unsigned char*, unsigned char*, long const*, long, long, long, long, long, int, int, int, float const*, float const*)";
    /// <summary>vLLM's static per-tensor FP8 quantization of the attention input (gpt-oss layers). Category <c>quant</c>.</summary>
    public const string VllmScaledFp8Quant = "void vllm::scaled_fp8_quant_kernel_strided<c10::BFloat16, c10::Float8_e4m3fn>(c10::Float8_e4m3fn*, c10::BFloat16 const*, float const*, int, long, long)";
    /// <summary>gpt-oss attention of a sliding-window layer (even layers).</summary>
    public const string FmhaSliding = "fmhaSm100aKernel_QkvE4m3OBfloat16H64PagedKvSlidingOrChunkedCausalP16VarSeqQ128Kv128PersistentContext";
    /// <summary>gpt-oss attention of a full-attention layer (odd layers).</summary>
    public const string FmhaFull = "fmhaSm100aKernel_QkvE4m3OBfloat16H64PagedKvCausalP16VarSeqQ128Kv128PersistentContext";
    /// <summary>PyTorch's vectorized fill (bf16): zeroes the MoE output buffer of a gpt-oss layer. Category <c>elementwise</c>.</summary>
    public const string FillBf16 = "void at::native::vectorized_elementwise_kernel<8, at::native::FillFunctor<c10::BFloat16>, std::array<char*, 1ul> >(int, at::native::FillFunctor<c10::BFloat16>, std::array<char*, 1ul>)";
    /// <summary>TensorRT-LLM's MX block-scaled quantization of the MoE input (gpt-oss layers). Category <c>other</c>: its signature contains <c>flashinfer::</c>, and the <c>quant</c> rule skips names that mention flash (attention kernels).</summary>
    public const string MxQuantize = "void tensorrt_llm::kernels::quantize_with_block_size<(tensorrt_llm::BlockScaleQuantizationType)2, __nv_bfloat16, 32, true>(int, int, int, int, __nv_bfloat16 const*, float const*, unsigned int*, unsigned int*, flashinfer::QuantizationSFLayout)";
    /// <summary>TensorRT-LLM's MoE routing: top-k scores and expert histogram, the first of three routing kernels of a gpt-oss layer. Category <c>moe_gate</c>.</summary>
    public const string RoutingHistogramScores = "void moe::dev::routing::routingRenormalize::routingIndicesHistogramScoresKernel<moe::dev::routing::routingRenormalize::KernelParams<__nv_bfloat16, __nv_bfloat16, 128, false, true, true> >(moe::dev::routing::routingRenormalize::KernelParams<__nv_bfloat16, __nv_bfloat16, 128, false, true, true>)";
    /// <summary>TensorRT-LLM's MoE routing histogram, the second routing kernel. Category <c>moe_gate</c>.</summary>
    public const string RoutingHistogram = "void moe::dev::routing::routingIndicesHistogramKernel<moe::dev::routing::routingRenormalize::KernelParams<__nv_bfloat16, __nv_bfloat16, 128, false, true, true> >(moe::dev::routing::routingRenormalize::KernelParams<__nv_bfloat16, __nv_bfloat16, 128, false, true, true>)";
    /// <summary>TensorRT-LLM's MoE routing offsets, the third routing kernel. Category <c>moe_gate</c>.</summary>
    public const string RoutingOffsets = "void moe::dev::routing::routingIndicesOffsetsKernel<moe::dev::routing::routingRenormalize::KernelParams<__nv_bfloat16, __nv_bfloat16, 128, false, true, true> >(moe::dev::routing::routingRenormalize::KernelParams<__nv_bfloat16, __nv_bfloat16, 128, false, true, true>)";
    /// <summary>TensorRT-LLM's first MoE GEMM (MXFP4 weights, fused SwiGLU) of a gpt-oss layer. Category <c>moe</c>.</summary>
    public const string MoeGemm1SwiGlu = "bmm_MxE4m3_MxE2m1MxE4m3_Fp32_t128x16x256u2_s3_et128x16_m128x16x32_cga1x1x1_16dp256b_rM_TN_transOut_schedP2x1x2x3_biasM_bN_tma_tmaOpt_clmp_swiGlu_dynBatch_sm100f";
    /// <summary>TensorRT-LLM's second MoE GEMM (MXFP4 weights, down projection) of a gpt-oss layer. Category <c>moe</c>.</summary>
    public const string MoeGemm2 = "bmm_Bfloat16_MxE2m1MxE4m3_Fp32_t128x16x256u2_s3_et128x16_m128x16x32_cga1x1x1_16dp256b_rM_TN_transOut_schedP2x1x2x3_biasM_bN_tmaOpt_clmp_dynBatch_sm100f";
    /// <summary>TensorRT-LLM's MoE finalize: the weighted sum of the experts' outputs, closing a gpt-oss MoE block. Category <c>moe</c>.</summary>
    public const string MoeFinalize = "void moe::dev::finalize::finalizeKernelVecLoad<moe::dev::finalize::KernelParams<cutlass::bfloat16_t, cutlass::bfloat16_t, 4, true> >(moe::dev::finalize::KernelParams<cutlass::bfloat16_t, cutlass::bfloat16_t, 4, true>)";
    /// <summary>Point-to-point transfer of a pipeline-parallel stage boundary (receive before the first layer, send after the last).</summary>
    public const string NcclSendRecv = "ncclDevKernel_SendRecv(ncclDevKernelArgsStorage<4096ul>)";

    // ---- HF transformers eager (PyTorch native elementwise kernels, H100 trace)
    /// <summary>PyTorch's unrolled copy to float32: the first kernel of an eager RMSNorm (the layer's start in <see cref="TraceShape.EagerHf"/>) and the logits cast of its epilogue. Category <c>elementwise</c> (an <c>elementwise_kernel</c>).</summary>
    public const string CopyToFloat = "void at::native::unrolled_elementwise_kernel<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#7}::operator()() const::{lambda(float)#1}, std::array<char*, 2ul>, 4, TrivialOffsetCalculator<1, unsigned int>, TrivialOffsetCalculator<1, unsigned int>, at::native::memory::LoadWithCast<1>, at::native::memory::StoreWithCast<1> >(int, at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#7}::operator()() const::{lambda(float)#1}, std::array<char*, 2ul>, TrivialOffsetCalculator<1, unsigned int>, TrivialOffsetCalculator<1, unsigned int>, at::native::memory::LoadWithCast<1>, at::native::memory::StoreWithCast<1>)";
    /// <summary>PyTorch's <c>pow</c> (x²) of an eager RMSNorm. Category <c>elementwise</c>.</summary>
    public const string PowTensorScalar = "void at::native::vectorized_elementwise_kernel<4, at::native::(anonymous namespace)::pow_tensor_scalar_kernel_impl<float, float>(at::TensorIteratorBase&, float)::{lambda(float)#1}, std::array<char*, 2ul> >(int, at::native::(anonymous namespace)::pow_tensor_scalar_kernel_impl<float, float>(at::TensorIteratorBase&, float)::{lambda(float)#1}, std::array<char*, 2ul>)";
    /// <summary>PyTorch's mean reduction of an eager RMSNorm. Category <c>reduce</c>.</summary>
    public const string MeanReduce = "void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::MeanOps<float, float, float, float>, unsigned int, float, 4> >(at::native::ReduceOp<float, at::native::MeanOps<float, float, float, float>, unsigned int, float, 4>)";
    /// <summary>PyTorch's add of the epsilon in an eager RMSNorm. Category <c>elementwise</c>.</summary>
    public const string AddScalarFloat = "void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctorOnSelf_add<float>, std::array<char*, 2ul> >(int, at::native::CUDAFunctorOnSelf_add<float>, std::array<char*, 2ul>)";
    /// <summary>PyTorch's <c>rsqrt</c> of an eager RMSNorm. Category <c>elementwise</c>.</summary>
    public const string Rsqrt = "void at::native::vectorized_elementwise_kernel<4, at::native::rsqrt_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#2}::operator()() const::{lambda(float)#1}, std::array<char*, 2ul> >(int, at::native::rsqrt_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#2}::operator()() const::{lambda(float)#1}, std::array<char*, 2ul>)";
    /// <summary>PyTorch's float32 multiply by the inverse RMS in an eager RMSNorm. Category <c>elementwise</c>.</summary>
    public const string MulFloat = "void at::native::elementwise_kernel<128, 2, at::native::gpu_kernel_impl_nocast<at::native::BinaryFunctor<float, float, float, at::native::binary_internal::MulFunctor<float> > >(at::TensorIteratorBase&, at::native::BinaryFunctor<float, float, float, at::native::binary_internal::MulFunctor<float> > const&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::BinaryFunctor<float, float, float, at::native::binary_internal::MulFunctor<float> > >(at::TensorIteratorBase&, at::native::BinaryFunctor<float, float, float, at::native::binary_internal::MulFunctor<float> > const&)::{lambda(int)#1})";
    /// <summary>PyTorch's vectorized copy back to bf16 in an eager RMSNorm, and the rotary cos/sin cache casts of the EagerHf prologue. Category <c>elementwise</c> (a <c>vectorized_elementwise_kernel</c>).</summary>
    public const string CopyToBf16 = "void at::native::vectorized_elementwise_kernel<4, at::native::bfloat16_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda(float)#1}, std::array<char*, 2ul> >(int, at::native::bfloat16_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda(float)#1}, std::array<char*, 2ul>)";
    /// <summary>PyTorch's bf16 multiply (weight of an eager RMSNorm, rotary's cos/sin products). Category <c>elementwise</c>.</summary>
    public const string MulBf16 = "void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl_nocast<at::native::BinaryFunctor<c10::BFloat16, c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float> > >(at::TensorIteratorBase&, at::native::BinaryFunctor<c10::BFloat16, c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float> > const&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::BinaryFunctor<c10::BFloat16, c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float> > >(at::TensorIteratorBase&, at::native::BinaryFunctor<c10::BFloat16, c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float> > const&)::{lambda(int)#1})";
    /// <summary>PyTorch's vectorized bf16 multiply of the gate and up projections in an eager MLP. Category <c>elementwise</c>.</summary>
    public const string MulBf16Vectorized = "void at::native::vectorized_elementwise_kernel<4, at::native::BinaryFunctor<c10::BFloat16, c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float> >, std::array<char*, 3ul> >(int, at::native::BinaryFunctor<c10::BFloat16, c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float> >, std::array<char*, 3ul>)";
    /// <summary>PyTorch's negation in eager rotary (<c>rotate_half</c>). Category <c>elementwise</c>.</summary>
    public const string NegBf16 = "void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl_nocast<at::native::neg_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#9}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, at::native::neg_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#9}::operator()() const::{lambda(c10::BFloat16)#1} const&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::neg_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#9}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, at::native::neg_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#9}::operator()() const::{lambda(c10::BFloat16)#1} const&)::{lambda(int)#1})";
    /// <summary>PyTorch's batched concatenation copy of 4-D tensors in eager rotary (<c>rotate_half</c>). Category <c>copy</c>.</summary>
    public const string CatCopy4d = "void at::native::(anonymous namespace)::CatArrayBatchedCopy<at::native::(anonymous namespace)::OpaqueType<2u>, unsigned int, 4, 64, 64>(at::native::(anonymous namespace)::OpaqueType<2u>*, at::native::(anonymous namespace)::CatArrInputTensorMetadata<at::native::(anonymous namespace)::OpaqueType<2u>, unsigned int, 64, 64>, at::native::(anonymous namespace)::TensorSizeStride<unsigned int, 4u>, int, unsigned int)";
    /// <summary>Residual add (and rotary's add) of an eager model.</summary>
    public const string AddBf16 = "void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl_nocast<at::native::CUDAFunctor_add<c10::BFloat16> >(at::TensorIteratorBase&, at::native::CUDAFunctor_add<c10::BFloat16> const&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::CUDAFunctor_add<c10::BFloat16> >(at::TensorIteratorBase&, at::native::CUDAFunctor_add<c10::BFloat16> const&)::{lambda(int)#1})";
    /// <summary>PyTorch's vectorized bf16 add: the residual adds after attention and after the MLP of an eager layer. Category <c>elementwise</c>.</summary>
    public const string AddBf16Vectorized = "void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<c10::BFloat16>, std::array<char*, 3ul> >(int, at::native::CUDAFunctor_add<c10::BFloat16>, std::array<char*, 3ul>)";
    /// <summary>PyTorch's bf16 copy (<c>aten::copy_</c>): KV-cache copies of an eager layer, the attention-input copies of a gpt-oss layer. Category <c>elementwise</c> (an <c>elementwise_kernel</c>).</summary>
    public const string CopyBf16 = "void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#12}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#12}::operator()() const::{lambda(c10::BFloat16)#1} const&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#12}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#12}::operator()() const::{lambda(c10::BFloat16)#1} const&)::{lambda(int)#1})";
    /// <summary>The <c>pytorch_flash::flash_fwd_kernel</c> of eager SDPA (once per layer).</summary>
    public const string PytorchFlashFwd = "void pytorch_flash::flash_fwd_kernel<pytorch_flash::Flash_fwd_kernel_traits<64, 128, 128, 4, false, false, cutlass::bfloat16_t, pytorch_flash::Flash_kernel_traits<64, 128, 128, 4, cutlass::bfloat16_t> >, false, true, false, false, false, true, false>(pytorch_flash::Flash_fwd_params)";
    /// <summary>PyTorch's SiLU of an eager MLP. Category <c>activation</c>.</summary>
    public const string SiluEager = "void at::native::vectorized_elementwise_kernel<4, at::native::(anonymous namespace)::silu_kernel(at::TensorIteratorBase&)::{lambda()#1}::operator()() const::{lambda()#6}::operator()() const::{lambda(c10::BFloat16)#1}, std::array<char*, 2ul> >(int, at::native::(anonymous namespace)::silu_kernel(at::TensorIteratorBase&)::{lambda()#1}::operator()() const::{lambda()#6}::operator()() const::{lambda(c10::BFloat16)#1}, std::array<char*, 2ul>)";
    /// <summary>cuBLAS's sm90 bf16 GEMM (<c>aten::linear</c>): every projection and the lm_head of an eager model. Category <c>gemm</c>.</summary>
    public const string CublasGemmBf16 = "sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas";
    /// <summary>PyTorch's <c>index_select</c> kernel of the embedding lookup (large index): the EagerHf prologue's first kernel. Category <c>copy</c>.</summary>
    public const string EmbeddingLarge = "void at::native::(anonymous namespace)::indexSelectLargeIndex<c10::BFloat16, long, unsigned int, 2, 2, -2, true>(at::cuda::detail::TensorInfo<c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<c10::BFloat16 const, unsigned int>, at::cuda::detail::TensorInfo<long const, unsigned int>, int, int, unsigned int, unsigned int, long)";
    /// <summary>PyTorch's <c>arange</c> of the position ids in the EagerHf prologue. Category <c>elementwise</c>.</summary>
    public const string Arange = "void (anonymous namespace)::elementwise_kernel_with_index<int, at::native::arange_cuda_out(c10::Scalar const&, c10::Scalar const&, c10::Scalar const&, at::Tensor&)::{lambda()#1}::operator()() const::{lambda()#4}::operator()() const::{lambda(long)#1}>(int, at::native::arange_cuda_out(c10::Scalar const&, c10::Scalar const&, c10::Scalar const&, at::Tensor&)::{lambda()#1}::operator()() const::{lambda()#4}::operator()() const::{lambda(long)#1}, function_traits<at::native::arange_cuda_out(c10::Scalar const&, c10::Scalar const&, c10::Scalar const&, at::Tensor&)::{lambda()#1}::operator()() const::{lambda()#4}::operator()() const::{lambda(long)#1}>::result_type*)";
    /// <summary>CUTLASS's SIMT float32 GEMM: the rotary inverse-frequency outer product of the EagerHf prologue. Category <c>gemm</c>.</summary>
    public const string SgemmSimt = "void cutlass::Kernel2<cutlass_80_simt_sgemm_128x32_8x5_nn_align1>(cutlass_80_simt_sgemm_128x32_8x5_nn_align1::Params)";
    /// <summary>PyTorch's batched concatenation copy of float32 tensors: the rotary frequency concat of the EagerHf prologue. Category <c>copy</c>.</summary>
    public const string CatCopyFloat = "void at::native::(anonymous namespace)::CatArrayBatchedCopy<at::native::(anonymous namespace)::OpaqueType<4u>, unsigned int, 3, 64, 64>(at::native::(anonymous namespace)::OpaqueType<4u>*, at::native::(anonymous namespace)::CatArrInputTensorMetadata<at::native::(anonymous namespace)::OpaqueType<4u>, unsigned int, 64, 64>, at::native::(anonymous namespace)::TensorSizeStride<unsigned int, 4u>, int, unsigned int)";
    /// <summary>PyTorch's cosine of the rotary cache in the EagerHf prologue. Category <c>elementwise</c>.</summary>
    public const string Cos = "void at::native::vectorized_elementwise_kernel<4, at::native::cos_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#2}::operator()() const::{lambda(float)#1}, std::array<char*, 2ul> >(int, at::native::cos_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#2}::operator()() const::{lambda(float)#1}, std::array<char*, 2ul>)";
    /// <summary>PyTorch's sine of the rotary cache in the EagerHf prologue. Category <c>elementwise</c>.</summary>
    public const string Sin = "void at::native::vectorized_elementwise_kernel<4, at::native::sin_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#2}::operator()() const::{lambda(float)#1}, std::array<char*, 2ul> >(int, at::native::sin_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#2}::operator()() const::{lambda(float)#1}, std::array<char*, 2ul>)";
    /// <summary>PyTorch's float32 multiply by a scalar (rotary attention scaling of the cos/sin cache) in the EagerHf prologue. Category <c>elementwise</c>.</summary>
    public const string MulScalarFloat = "void at::native::vectorized_elementwise_kernel<4, at::native::AUnaryFunctor<float, float, float, at::native::binary_internal::MulFunctor<float> >, std::array<char*, 2ul> >(int, at::native::AUnaryFunctor<float, float, float, at::native::binary_internal::MulFunctor<float> >, std::array<char*, 2ul>)";

    /// <summary>A DeepGEMM FP8 1D2D GEMM name for an N×K weight.</summary>
    public static string DeepGemm(int n, int k) =>
        $"{DeepGemmPrefix}{n}u, {k}u, 0u, 64u, 128u, 128u, 1u, 8u, 128u, 128u, 1u, 8u, 1u, false, (deep_gemm::GemmType)0, cutlass::bfloat16_t, deep_gemm::EpilogueIdentity>(float*, int*, unsigned int, unsigned int, unsigned int, CUtensorMap, CUtensorMap, CUtensorMap, CUtensorMap)";

    /// <summary>A cuBLAS (nvjet) GEMM name with the given tile string, e.g. <c>64x8_64x16_4x1_v_bz_TNT</c>.</summary>
    public static string Nvjet(string tile) => "nvjet_tst_" + tile;

    /// <summary>The compressed-KV kernel of a V4 compress-ratio layer.</summary>
    public static string CompressKv(int ratio) =>
        $"void fused_compress_kv_kernel<__nv_bfloat16, {ratio}>(__nv_bfloat16 const*, __nv_bfloat16*, float const*, long const*, int, int)";
}
