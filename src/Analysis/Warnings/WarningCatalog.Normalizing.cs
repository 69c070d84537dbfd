namespace LlmPipeline.Analysis.Warnings;

public static partial class WarningCatalog
{
    private const string NoTs = "The trace-event format requires `ts` on every event but metadata; an event without it has no place on the timeline.";
    private const string BadDur = "A duration below zero has no meaning; it comes from a broken end timestamp.";

    /// <summary><c>rank_prefix_stripped</c>: a merged-trace rank label was stripped from event names.</summary>
    public static readonly WarningKind RankPrefixStripped = new("rank_prefix_stripped", WarningSeverity.Info, WarningStage.Normalizing,
        "Event names began with a merged-trace rank label such as `[TP01-DP00-PP00-EP00] `; the label was stripped before the names were classified, and it decides the event's rank.",
        "Nothing.",
        "SGLang's trace merger prefixes event names with rank labels: https://github.com/sgl-project/sglang/issues/11413. See docs/messy-traces.md#b24.");

    /// <summary><c>negative_ts</c>: an event with a negative <c>ts</c> was kept.</summary>
    public static readonly WarningKind NegativeTs = new("negative_ts", WarningSeverity.Info, WarningStage.Normalizing,
        "An event has a negative `ts`; it was kept. Timestamps relative to `baseTimeNanoseconds` can precede the base.",
        "Nothing. If `clock_domain_mismatch` is reported too, the negative times come from a clock offset instead.",
        "Kineto made timestamps relative to `baseTimeNanoseconds`: https://github.com/pytorch/kineto/pull/910. See docs/messy-traces.md#b15.");

    /// <summary><c>event_without_dur</c>: an <c>X</c> event (not a kernel) without <c>dur</c> was kept with dur NULL.</summary>
    public static readonly WarningKind EventWithoutDur = new("event_without_dur", WarningSeverity.Degraded, WarningStage.Normalizing,
        "An `X` event that is not a kernel has no `dur`; it was kept with dur NULL and is left out of every duration.",
        "Nothing, unless it is an annotation that phases or steps rely on; then fix the producer.",
        "The trace-event format gives a complete (`X`) event its length in `dur`; tools that merge or write annotations sometimes leave it out: " + TraceEventFormat + ". See docs/messy-traces.md#b18.");

    /// <summary><c>event_without_ts</c>: a <c>B</c> or <c>E</c> event without <c>ts</c> was set aside.</summary>
    public static readonly WarningKind EventWithoutTs = new("event_without_ts", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A `B` or `E` event has no `ts`; it was set aside.",
        "Nothing, unless the count is large; then fix the producer.",
        NoTs);

    /// <summary><c>memory_op_without_ts</c>: a memcpy or memset event without <c>ts</c> was set aside.</summary>
    public static readonly WarningKind MemoryOpWithoutTs = new("memory_op_without_ts", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A GPU memcpy or memset event has no `ts`; it was set aside (it is not in `memory_ops`).",
        "Nothing, unless the count is large; then fix the producer.",
        NoTs);

    /// <summary><c>memory_op_negative_dur</c>: a memcpy or memset event with a negative <c>dur</c> was set aside.</summary>
    public static readonly WarningKind MemoryOpNegativeDur = new("memory_op_negative_dur", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A GPU memcpy or memset event has a negative `dur`; it was set aside (it is not in `memory_ops`).",
        "Nothing, unless the count is large; then fix the producer.",
        BadDur);

    /// <summary><c>launch_without_ts</c>: a CUDA/HIP runtime or driver event without <c>ts</c> was set aside.</summary>
    public static readonly WarningKind LaunchWithoutTs = new("launch_without_ts", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A CUDA/HIP runtime or driver event (a kernel launch, for example) has no `ts`; it was set aside (it is not in `launches`), so its kernels may lose their launching operator.",
        "Nothing, unless the count is large; then fix the producer.",
        NoTs);

    /// <summary><c>launch_negative_dur</c>: a CUDA/HIP runtime or driver event with a negative <c>dur</c> was set aside.</summary>
    public static readonly WarningKind LaunchNegativeDur = new("launch_negative_dur", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A CUDA/HIP runtime or driver event has a negative `dur`; it was set aside (it is not in `launches`), so its kernels may lose their launching operator.",
        "Nothing, unless the count is large; then fix the producer.",
        BadDur);

    /// <summary><c>annotation_without_ts</c>: a user or GPU annotation (or ProfilerStep) without <c>ts</c> was set aside.</summary>
    public static readonly WarningKind AnnotationWithoutTs = new("annotation_without_ts", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A user annotation, GPU annotation or `ProfilerStep#N` event has no `ts`; it was set aside (it is not in `annotations`), so it marks no step or phase.",
        "Nothing, unless the count is large; then fix the producer.",
        NoTs);

    /// <summary><c>annotation_negative_dur</c>: a user or GPU annotation (or ProfilerStep) with a negative <c>dur</c> was set aside.</summary>
    public static readonly WarningKind AnnotationNegativeDur = new("annotation_negative_dur", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A user annotation, GPU annotation or `ProfilerStep#N` event has a negative `dur`; it was set aside (it is not in `annotations`), so it marks no step or phase.",
        "Nothing, unless the count is large; then fix the producer.",
        BadDur);

    /// <summary><c>kernel_without_ts</c>: a kernel event without <c>ts</c> was set aside.</summary>
    public static readonly WarningKind KernelWithoutTs = new("kernel_without_ts", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A kernel event has no `ts`; it was set aside (it is not in `kernels` and no pass holds it).",
        "If many kernels are set aside, GPU totals are short; fix the producer.",
        NoTs);

    /// <summary><c>kernel_without_dur</c>: a kernel event without <c>dur</c> was set aside.</summary>
    public static readonly WarningKind KernelWithoutDur = new("kernel_without_dur", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A kernel event has no `dur`; it was set aside (it is not in `kernels` and no pass holds it).",
        "If many kernels are set aside, GPU totals are short; fix the producer.",
        "The trace-event format gives a complete (`X`) event its length in `dur`; a kernel without it has no time to count: " + TraceEventFormat);

    /// <summary><c>kernel_negative_dur</c>: a kernel event with a negative <c>dur</c> was set aside.</summary>
    public static readonly WarningKind KernelNegativeDur = new("kernel_negative_dur", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A kernel event has a negative `dur`; it was set aside (it is not in `kernels` and no pass holds it).",
        "If many kernels are set aside, GPU totals are short; fix the producer.",
        BadDur);

    /// <summary><c>kernel_zero_ts</c>: a kernel with <c>ts</c> 0 and <c>dur</c> 0 was set aside.</summary>
    public static readonly WarningKind KernelZeroTs = new("kernel_zero_ts", WarningSeverity.SetAside, WarningStage.Normalizing,
        "A kernel with `ts` 0 and `dur` 0 (the GPU tracer gave it no timestamps) was set aside; it would put the trace start decades early.",
        "Nothing; if many kernels are set aside, GPU totals are short.",
        "CUPTI returned zero timestamps for some kernel records at large batch sizes: https://github.com/pytorch/kineto/issues/109. See docs/messy-traces.md#b16.");

    /// <summary><c>unfinished_begin</c>: a <c>B</c> event never closed by an <c>E</c> event was kept with dur NULL.</summary>
    public static readonly WarningKind UnfinishedBegin = new("unfinished_begin", WarningSeverity.Degraded, WarningStage.Normalizing,
        "A `B` event was never closed by an `E` event on its thread; it was kept with dur NULL (unfinished).",
        "Nothing, unless it is an annotation that phases or steps rely on.",
        "`B` events without their `E` are common in crashed runs and merged traces: https://github.com/GoogleChrome/lighthouse/issues/10616. See docs/messy-traces.md#b18.");

    /// <summary><c>unmatched_end</c>: an <c>E</c> event with no open <c>B</c> event was dropped.</summary>
    public static readonly WarningKind UnmatchedEnd = new("unmatched_end", WarningSeverity.SetAside, WarningStage.Normalizing,
        "An `E` event with no open `B` event on its thread was dropped.",
        "Nothing.",
        "`B` and `E` events that do not pair up, in crashed runs and merged traces: https://github.com/GoogleChrome/lighthouse/issues/10616. See docs/messy-traces.md#b18.");

    /// <summary><c>device_from_process_labels</c>: kernels without <c>args.device</c> were placed by their process labels.</summary>
    public static readonly WarningKind DeviceFromProcessLabels = new("device_from_process_labels", WarningSeverity.Info, WarningStage.Normalizing,
        "Kernels without `args.device` were placed on the GPU that their process's `process_labels` (else `process_name`) metadata names, not on their pid.",
        "Nothing; check `device` if the trace mixes GPUs.",
        "roctracer wrote pids offset from the device ids: https://github.com/pytorch/kineto/issues/925. See docs/messy-traces.md#b29.");

    /// <summary><c>kernel_far_outside_trace</c>: kernels more than an hour outside the CPU events were set aside.</summary>
    public static readonly WarningKind KernelFarOutsideTrace = new("kernel_far_outside_trace", WarningSeverity.SetAside, WarningStage.Normalizing,
        "Kernels whose `ts` lies more than 1 h outside the CPU events of the trace (bad GPU timestamps) were set aside; they count in no span and no pass.",
        "Nothing; if many kernels are set aside, GPU totals are short.",
        "GPU tracers that return bad kernel timestamps: https://github.com/pytorch/kineto/issues/109. See docs/messy-traces.md#b16.");

    /// <summary><c>duplicate_event</c>: exact duplicate events were dropped.</summary>
    public static readonly WarningKind DuplicateEvent = new("duplicate_event", WarningSeverity.SetAside, WarningStage.Normalizing,
        "Events identical in every stored field (from merged or concatenated traces) were dropped, one copy kept.",
        "Nothing.",
        "Trace mergers that repeat events: https://github.com/google/perfetto/issues/978. See docs/messy-traces.md#b24.");

    /// <summary><c>kernel_correlation_zero</c>: kernels report correlation 0, which means unknown.</summary>
    public static readonly WarningKind KernelCorrelationZero = new("kernel_correlation_zero", WarningSeverity.Degraded, WarningStage.Normalizing,
        "Kernels report correlation 0, which means unknown: they are stored with correlation NULL and tied to no launch, graph replay or CPU operator, so their op_name is NULL. Their times, categories and passes are right.",
        "Nothing; a newer ROCm profiler reports their correlation.",
        "ROCm's tracer reports correlation 0 for every RCCL kernel: https://github.com/ROCm/roctracer/issues/100. See docs/messy-traces.md#b43.");

    /// <summary><c>launches_without_kernel</c>: kernel launches without a kernel event (dropped kernel records).</summary>
    public static readonly WarningKind LaunchesWithoutKernel = new("launches_without_kernel", WarningSeverity.Degraded, WarningStage.Normalizing,
        "Some kernel launches have no kernel event with their correlation: the profiler dropped kernel records, so GPU totals can be short. The detail gives the launch coverage and the first unmatched correlation ids.",
        "Profile a shorter window, or with a newer profiler; compare runs only when their coverage is alike.",
        "Kineto dropped the kernel records it judged outside the capture window: https://github.com/pytorch/kineto/issues/996. See docs/messy-traces.md#b11.");

    /// <summary><c>external_id_from_launch</c>: kernels took their launch's External id.</summary>
    public static readonly WarningKind ExternalIdFromLaunch = new("external_id_from_launch", WarningSeverity.Info, WarningStage.Normalizing,
        "Kernels without an External id of their own took their launch's (kernel correlation, then the launch, then its External id), so op_name and input_dims come from the launching cpu_op.",
        "Nothing, unless ops look wrong; then check the External ids the producer writes on kernel events.",
        "Correlation ids and External ids are different counters, so a kernel reaches its operator through its launch: https://github.com/pytorch/pytorch/issues/124388. See docs/messy-traces.md#b45.");

    /// <summary><c>clock_domain_mismatch</c>: CPU and GPU timestamps come from different clocks.</summary>
    public static readonly WarningKind ClockDomainMismatch = new("clock_domain_mismatch", WarningSeverity.Degraded, WarningStage.Normalizing,
        "Kernels start before their launches, or the median launch-to-kernel delay exceeds 1 s: CPU and GPU timestamps come from different clocks. Passes, phases and ops (joined by correlation) are right; the trace span and `start_s` mix both clocks. The detail gives the estimated offset.",
        "Compare kernel times only with kernel times, or fix the producer's clock.",
        "HIP activity stamped with another clock than the CPU's: https://github.com/ROCm/rocm-systems/pull/11667, https://github.com/pytorch/kineto/issues/1082. See docs/messy-traces.md#b41.");

    /// <summary>
    /// <c>kernel_external_id_zero</c>: kernels carry External id 0 and no launch gives them one. A note (info): the
    /// trace recorded no CPU operator for them (a GPU-only trace), so nothing it holds is lost; ingest says it once.
    /// </summary>
    public static readonly WarningKind KernelExternalIdZero = new("kernel_external_id_zero", WarningSeverity.Info, WarningStage.Normalizing,
        "Kernels carry External id 0, which means unknown, and no launch gives them one: their op_name and input_dims are NULL, as the trace holds no operator for them.",
        "To get ops and shapes, profile with CPU activities and record_shapes=True.",
        "Tracers write 0 for an External id they do not know: https://github.com/ROCm/roctracer/issues/100. See docs/messy-traces.md#b43.");

    /// <summary><c>event_runaway_dur</c>: an event's end far after every other event is not used for the trace span.</summary>
    public static readonly WarningKind EventRunawayDur = new("event_runaway_dur", WarningSeverity.Info, WarningStage.Normalizing,
        "One event's `dur` would end it later than every other event by more than the span of all the others; the event is kept, but its end is not used for the trace span.",
        "Nothing.",
        "Durations that overflow in the producer: https://github.com/AMD-AGI/TraceLens/issues/669. See docs/messy-traces.md#b18.");

    private static WarningKind[] NormalizingKinds() =>
    [
        RankPrefixStripped, NegativeTs, EventWithoutDur, EventWithoutTs, MemoryOpWithoutTs, MemoryOpNegativeDur,
        LaunchWithoutTs, LaunchNegativeDur, AnnotationWithoutTs, AnnotationNegativeDur, KernelWithoutTs, KernelWithoutDur,
        KernelNegativeDur, KernelZeroTs, UnfinishedBegin, UnmatchedEnd, DeviceFromProcessLabels, KernelFarOutsideTrace,
        DuplicateEvent, KernelCorrelationZero, LaunchesWithoutKernel, ExternalIdFromLaunch, ClockDomainMismatch,
        KernelExternalIdZero, EventRunawayDur,
    ];
}
