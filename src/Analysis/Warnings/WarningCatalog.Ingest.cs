namespace LlmPipeline.Analysis.Warnings;

public static partial class WarningCatalog
{
    /// <summary><c>kernel_runaway_dur</c>: a kernel whose end lies far after every other kernel's was set aside.</summary>
    public static readonly WarningKind KernelRunawayDur = new("kernel_runaway_dur", WarningSeverity.SetAside, WarningStage.Ingest,
        "A kernel's `dur` would end it later than every other kernel by more than the span of all the others (an overflowed duration); it was set aside before segmenting, so it stretches no pass.",
        "Nothing.",
        "Durations that overflow in the producer: https://github.com/AMD-AGI/TraceLens/issues/669. See docs/messy-traces.md#b18.");

    /// <summary>
    /// <c>external_id_without_cpu_op</c>: kernels carry an External id that no cpu_op has. A note (info): a trace
    /// recorded without CPU operators (GPU activities only) loses nothing it holds; ingest says it once.
    /// </summary>
    public static readonly WarningKind ExternalIdWithoutCpuOp = new("external_id_without_cpu_op", WarningSeverity.Info, WarningStage.Ingest,
        "Kernels carry an External id that no cpu_op of the trace has, so their op_name and input_dims are NULL: the trace holds no operator for them. Either the trace was recorded without CPU operators or its kernels' External ids do not refer to them.",
        "To get ops and shapes, profile with CPU activities (and record_shapes=True) on the thread that launches the kernels.",
        "The profiler missed the thread that launches the kernels: https://github.com/ray-project/ray/issues/56366. See docs/messy-traces.md#b50.");

    /// <summary><c>no_gpu_kernels</c>: the trace holds no GPU kernel events.</summary>
    public static readonly WarningKind NoGpuKernels = new("no_gpu_kernels", WarningSeverity.Failed, WarningStage.Ingest,
        "The trace holds no GPU kernel events, so there is nothing to segment: the run has no passes.",
        "Profile with GPU (CUDA) activities on. If the trace has kernel launches, the profiler dropped the kernel records.",
        "Kineto can drop every kernel record of a trace: https://github.com/pytorch/kineto/issues/996. See docs/messy-traces.md#b11.");

    /// <summary><c>unknown_gpu</c>: the run's GPU is not in the GPU peak table.</summary>
    public static readonly WarningKind UnknownGpu = new("unknown_gpu", WarningSeverity.Degraded, WarningStage.Ingest,
        "The run's GPU (the `deviceProperties` name) is not in the table of GPU peaks, so its efficiency columns (achieved against peak FLOP/s and bandwidth) are NULL.",
        "Ingest again with --gpu-specs FILE giving the GPU's peaks (and --force).",
        "LlmPipeline's own table of GPU peaks, which names the common data-centre GPUs; traces of other GPUs, or with an empty device name, find no entry.");

    private static WarningKind[] IngestKinds() => [KernelRunawayDur, ExternalIdWithoutCpuOp, NoGpuKernels, UnknownGpu];
}
