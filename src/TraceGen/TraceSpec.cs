namespace LlmPipeline.TraceGen;

/// <summary>
/// Describes one synthetic trace file (one rank). Every property has a default, so
/// <c>new TraceSpec { Shape = TraceShape.DeepSeekV4Decode, Passes = 5 }</c> is a complete spec.
/// The same spec always produces the same bytes (timing jitter comes from <see cref="Seed"/> and <see cref="Rank"/>).
/// </summary>
/// <remarks>
/// Per forward pass (step) the kernels run in this order on stream <see cref="MainStreamId"/>:
/// prologue (<see cref="PrologueKernels"/>), <see cref="EffectiveNumLayers"/> layers, epilogue
/// (<see cref="EpilogueKernels"/>), then <see cref="MtpLayers"/> MTP blocks (each: 2 norms, a concat copy,
/// the eh_proj GEMM, one more layer of the shape's MoE kind, its norm, lm_head, [AllGather], argmax).
/// <see cref="TraceWriter.KernelsPerPass"/> gives the resulting count. The trace window may cut the first and the
/// last pass (<see cref="TrimFirstPassKernels"/>, <see cref="KeepLastPassKernels"/>). Each kernel's true pass, layer
/// and role is in <see cref="TraceGenResult.Truth"/>.
/// </remarks>
public sealed record TraceSpec
{
    /// <summary>The layer kernel sequence.</summary>
    public TraceShape Shape { get; init; } = TraceShape.DeepSeekV3Decode;

    /// <summary>
    /// Transformer layers per pass (on this rank); 0 = the shape's default (61 for V3, 43 for V4, 4 for Generic, 36 for
    /// DenseAddNorm, 24 for GptOss and EagerHf).
    /// </summary>
    public int NumLayers { get; init; }

    /// <summary>Forward passes (steps) to write; ignored when <see cref="TargetJsonBytes"/> &gt; 0. Must be ≥ 1.</summary>
    public int Passes { get; init; } = 3;

    /// <summary>
    /// When &gt; 0: keep writing whole passes until the uncompressed JSON is as close as a whole pass allows to this
    /// many bytes (at least one pass). 0 = write exactly <see cref="Passes"/>.
    /// </summary>
    public long TargetJsonBytes { get; init; }

    /// <summary>Seed of the duration / gap jitter (mixed with <see cref="Rank"/>).</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Relative jitter of every kernel duration, uniform in ±this fraction (default 0.03 = ±3 %).</summary>
    public double JitterFraction { get; init; } = 0.03;

    /// <summary>Nominal idle gap between consecutive kernels of a pass, µs (jittered 0.5×–1.5×).</summary>
    public double KernelGapUs { get; init; } = 2.0;

    /// <summary>Idle GPU gap between the last kernel of a pass and the first of the next, µs (jittered ±10 %).</summary>
    public double IdleGapBetweenPassesUs { get; init; } = 400.0;

    /// <summary>
    /// Per-pass time scale (index = pass; missing entries = 1.0): multiplies every kernel duration and gap of that
    /// pass, e.g. <c>[3.0, 1.5]</c> for slow ramp-up passes or <c>[1, 1, 1, 2.5]</c> for an outlier pass.
    /// </summary>
    public IReadOnlyList<double> PassTimeScales { get; init; } = [];

    /// <summary>
    /// Multiplies the durations of every <b>layer</b> kernel (MTP layer included, prologue/epilogue excluded);
    /// e.g. 1.2 on rank 2 for a 20 % straggler in a rank-skew test.
    /// </summary>
    public double LayerTimeScale { get; init; } = 1.0;

    /// <summary>Optional per-layer extra scale (index = layer, missing = 1.0), multiplied with <see cref="LayerTimeScale"/>.</summary>
    public IReadOnlyList<double> LayerTimeScales { get; init; } = [];

    /// <summary>Dense (non-MoE) leading layers for <see cref="TraceShape.DeepSeekV3Decode"/> (<c>first_k_dense_replace</c>, default 3).</summary>
    public int FirstKDenseReplace { get; init; } = 3;

    /// <summary>
    /// DeepSeek-V4 compress ratio per layer (0, 4 or 128); null = V4-Flash's pattern: layers 0-1 → 0, then 4 and 128
    /// alternating (layer 2 → 4). Missing entries count as 0.
    /// </summary>
    public IReadOnlyList<int>? CompressRatios { get; init; }

    /// <summary>
    /// 0 … 8: MTP (next-n predict) blocks after the epilogue of every pass, e.g. 1 for DeepSeek-V3's one MTP layer, 3
    /// for three speculative draft steps through it. Every block is the same (head, one layer, its own norm, lm_head,
    /// sampling).
    /// </summary>
    public int MtpLayers { get; init; }

    /// <summary>
    /// The true role of the MTP blocks' kernels: <see cref="TruthRole.Mtp"/> (default) or <see cref="TruthRole.Draft"/>
    /// (speculative draft steps, e.g. more blocks per step than the model's <c>num_nextn_predict_layers</c>). Changes
    /// only the truth, not the trace.
    /// </summary>
    public TruthRole MtpTruthRole { get; init; } = TruthRole.Mtp;

    /// <summary>
    /// Pipeline-parallel stage of this rank (default <see cref="PipelineStage.None"/>): decides the default prologue and
    /// epilogue (an NCCL <c>SendRecv</c> replaces the embedding on later stages and the lm_head on earlier stages).
    /// </summary>
    public PipelineStage Stage { get; init; }

    /// <summary>
    /// Model layer index of this rank's layer 0 (pipeline parallelism; default 0). Layer kinds follow the model index
    /// (dense/MoE of DeepSeek-V3, compress ratios of V4, sliding/full of GptOss, plain vs fused input norm); the truth
    /// numbers this rank's layers from 0.
    /// </summary>
    public int FirstModelLayer { get; init; }

    /// <summary>
    /// The trace window opens this many kernels into pass 0: those kernels are not written, so pass 0 is partial (its
    /// layers keep their numbers). <see cref="TraceWriter.LayerStartOffset"/> gives a layer's offset. Must leave at
    /// least one whole layer. Default 0.
    /// </summary>
    public int TrimFirstPassKernels { get; init; }

    /// <summary>
    /// When &gt; 0: the trace window closes after this many kernels of the last pass, so it is partial (numbered from
    /// layer 0). Must include at least layer 0 whole; needs <see cref="TargetJsonBytes"/> = 0. Default 0 = whole pass.
    /// </summary>
    public int KeepLastPassKernels { get; init; }

    /// <summary>Kernels before layer 0 of each pass; null = embedding, plus its AllReduce when <see cref="WorldSize"/> &gt; 1.</summary>
    public IReadOnlyList<KernelTemplate>? PrologueKernels { get; init; }

    /// <summary>Kernels after the last layer; null = final RMSNorm, lm_head GEMM, [AllGather when WorldSize &gt; 1], argmax.</summary>
    public IReadOnlyList<KernelTemplate>? EpilogueKernels { get; init; }

    /// <summary>This file's rank (<c>distributedInfo.rank</c>).</summary>
    public int Rank { get; init; }

    /// <summary>
    /// <c>distributedInfo.world_size</c> = tensor-parallel size. When &gt; 1 the default sequences carry collectives:
    /// 2 AllReduce per layer (after attention, after the MLP/MoE), 1 after the embedding, and an AllGather of the
    /// logits before sampling; when 1 there are none (see <see cref="KernelCatalog"/>).
    /// </summary>
    public int WorldSize { get; init; } = 8;

    /// <summary>Use SGLang's custom all-reduce (<c>cross_device_reduce_1stage</c>) instead of NCCL's <c>ncclDevKernel_AllReduce_Sum_bf16_RING_LL</c>.</summary>
    public bool CustomAllReduce { get; init; }

    /// <summary>CUDA device index: the GPU events' <c>pid</c> and the kernels' <c>device</c>; -1 = <see cref="Rank"/>.</summary>
    public int Device { get; init; } = -1;

    /// <summary>GPU model in <c>deviceProperties</c>: "NVIDIA H200" (default), "NVIDIA H800" or "NVIDIA H100 80GB HBM3".</summary>
    public string GpuName { get; init; } = "NVIDIA H200";

    /// <summary>Top-level <c>baseTimeNanoseconds</c>; event ts are written relative to it.</summary>
    public long BaseTimeNanoseconds { get; init; } = 1_760_000_000_000_000_000;

    /// <summary>File ns of the first kernel of pass 0 (before jitter), default 1.5 s after the base time.</summary>
    public long StartOffsetNs { get; init; } = 1_500_000_000;

    /// <summary>
    /// Also write, per kernel, the <c>cpu_op</c> (External id, Input Dims), the <c>cuda_runtime</c>
    /// <c>cudaLaunchKernel</c> (cbid 211, correlation) and the <c>ac2g</c> flow pair (<c>s</c> at the launch,
    /// <c>f</c> with <c>"bp": "e"</c> at the kernel), as real traces carry. Kernel timing is the same either way.
    /// </summary>
    public bool IncludeCpuSide { get; init; } = true;

    /// <summary>Per-pass annotation range (CPU <c>user_annotation</c> and GPU <c>gpu_user_annotation</c>), written even without the CPU side.</summary>
    public StepAnnotationStyle StepAnnotations { get; init; }

    /// <summary>Batch size shown in step annotations and Input Dims.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Stream of all kernels (Kineto's default compute stream is 7).</summary>
    public int MainStreamId { get; init; } = 7;

    /// <summary>
    /// 0 = every kernel on <see cref="MainStreamId"/>. Otherwise collective kernels run on <see cref="SecondStreamId"/>
    /// and start when (1 − this) of the preceding kernel is done, i.e. they overlap that fraction of it; the next
    /// main-stream kernel waits for the collective to end. Must be in [0, 1).
    /// </summary>
    public double SecondStreamOverlap { get; init; }

    /// <summary>Stream of the collectives when <see cref="SecondStreamOverlap"/> &gt; 0.</summary>
    public int SecondStreamId { get; init; } = 8;

    /// <summary>Top-level <c>traceName</c>; null = a name made from the shape and rank.</summary>
    public string? TraceName { get; init; }

    /// <summary>The layer count actually used (resolves <see cref="NumLayers"/> = 0).</summary>
    public int EffectiveNumLayers => NumLayers > 0 ? NumLayers : Shape switch
    {
        TraceShape.DeepSeekV3Decode => 61,
        TraceShape.DeepSeekV4Decode => 43,
        TraceShape.DenseAddNorm => 36,
        TraceShape.GptOss or TraceShape.EagerHf => 24,
        _ => 4,
    };

    /// <summary>The device index actually used (resolves <see cref="Device"/> = -1).</summary>
    public int EffectiveDevice => Device >= 0 ? Device : Rank;

    /// <summary>The compress ratio of a DeepSeek-V4 layer by model layer index (see <see cref="CompressRatios"/>).</summary>
    public int CompressRatioOf(int layer)
    {
        if (CompressRatios is not null) return layer < CompressRatios.Count ? CompressRatios[layer] : 0;
        if (layer < 2 || layer >= FirstModelLayer + EffectiveNumLayers) return 0;
        return layer % 2 == 0 ? 4 : 128;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property.</summary>
    public void Validate()
    {
        if (NumLayers < 0) throw new ArgumentException("NumLayers must be >= 0 (0 = shape default).", nameof(NumLayers));
        if (Passes < 1 && TargetJsonBytes <= 0) throw new ArgumentException("Passes must be >= 1.", nameof(Passes));
        if (TargetJsonBytes < 0) throw new ArgumentException("TargetJsonBytes must be >= 0.", nameof(TargetJsonBytes));
        if (MtpLayers is < 0 or > 8) throw new ArgumentException("MtpLayers must be in 0..8.", nameof(MtpLayers));
        if (MtpTruthRole is not (TruthRole.Mtp or TruthRole.Draft)) throw new ArgumentException("MtpTruthRole must be Mtp or Draft.", nameof(MtpTruthRole));
        if (FirstModelLayer < 0) throw new ArgumentException("FirstModelLayer must be >= 0.", nameof(FirstModelLayer));
        if (TrimFirstPassKernels < 0 || KeepLastPassKernels < 0) throw new ArgumentException("TrimFirstPassKernels and KeepLastPassKernels must be >= 0.", nameof(TrimFirstPassKernels));
        if (KeepLastPassKernels > 0 && TargetJsonBytes > 0) throw new ArgumentException("KeepLastPassKernels needs TargetJsonBytes = 0 (the last pass must be known).", nameof(KeepLastPassKernels));
        if (WorldSize < 1 || Rank < 0 || Rank >= WorldSize)
            throw new ArgumentException($"Need 0 <= Rank < WorldSize (Rank {Rank}, WorldSize {WorldSize}).", nameof(Rank));
        if (JitterFraction is < 0 or >= 0.5) throw new ArgumentException("JitterFraction must be in [0, 0.5).", nameof(JitterFraction));
        if (SecondStreamOverlap is < 0 or >= 1) throw new ArgumentException("SecondStreamOverlap must be in [0, 1).", nameof(SecondStreamOverlap));
        if (KernelGapUs < 0 || IdleGapBetweenPassesUs < 0) throw new ArgumentException("Gaps must be >= 0.", nameof(KernelGapUs));
        if (LayerTimeScale <= 0) throw new ArgumentException("LayerTimeScale must be > 0.", nameof(LayerTimeScale));
        if (PassTimeScales.Any(s => s <= 0)) throw new ArgumentException("PassTimeScales must be > 0.", nameof(PassTimeScales));
        if (LayerTimeScales.Any(s => s <= 0)) throw new ArgumentException("LayerTimeScales must be > 0.", nameof(LayerTimeScales));
        if (StartOffsetNs < 1_000_000) throw new ArgumentException("StartOffsetNs must be >= 1 ms (CPU launches precede the first kernel).", nameof(StartOffsetNs));
        if (MainStreamId == SecondStreamId && SecondStreamOverlap > 0) throw new ArgumentException("SecondStreamId must differ from MainStreamId.", nameof(SecondStreamId));
    }
}
