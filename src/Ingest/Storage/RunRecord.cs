namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// The <c>runs</c> row of one ingest, as the ingest builds it before the row is inserted (the run id is given by the
/// database). Each property is the column of the same name in snake_case (<c>sql/schema.sql</c>); times are integer
/// nanoseconds as in the trace file (<c>ts</c> µs × 1000), counts are plain counts.
/// </summary>
public sealed record RunRecord
{
    /// <summary><c>label</c>: free text given with <c>--label</c>; null when none was given.</summary>
    public string? Label { get; init; }

    /// <summary><c>source_path</c>: the trace path given at ingest, made absolute (so <c>perfetto --serve</c> finds the file from any folder).</summary>
    public required string SourcePath { get; init; }

    /// <summary><c>source_bytes</c>: size of the trace file on disk (compressed when it is gzip), bytes.</summary>
    public long SourceBytes { get; init; }

    /// <summary><c>source_sha256</c>: SHA-256 of the file's bytes as stored, 64 lower-case hex digits; with <see cref="OptionsKey"/> it tells an already-ingested file.</summary>
    public required string SourceSha256 { get; init; }

    /// <summary><c>json_bytes</c>: bytes of JSON read, i.e. the decompressed size for a gzip file.</summary>
    public long JsonBytes { get; init; }

    /// <summary><c>ingested_at</c>: when the run was ingested, UTC, ISO 8601 with milliseconds (<c>2026-12-06T09:00:48.123Z</c>).</summary>
    public required string IngestedAt { get; init; }

    /// <summary><c>framework</c>: serving engine (<c>vllm</c>, <c>sglang</c>, <c>trtllm</c>, <c>rtp-llm</c>...), given with <c>--framework</c> or inferred from kernel and annotation names; null when nothing says.</summary>
    public string? Framework { get; init; }

    /// <summary><c>framework_source</c>: why <see cref="Framework"/>: <c>--framework</c>, or the evidence of the inference in words.</summary>
    public string? FrameworkSource { get; init; }

    /// <summary><c>git_commit</c>: the commit given with <c>--commit</c>; null when none.</summary>
    public string? GitCommit { get; init; }

    /// <summary><c>model</c>: model name from <c>--model</c>, else the config's <c>_name_or_path</c> or <c>model_type</c>; null without either.</summary>
    public string? Model { get; init; }

    /// <summary><c>model_source</c>: why <see cref="Model"/> (<c>--model</c>, <c>config _name_or_path</c>, <c>config model_type</c>).</summary>
    public string? ModelSource { get; init; }

    /// <summary><c>gpu_name</c>: the device name from the trace's <c>deviceProperties</c> (e.g. <c>NVIDIA H100 80GB HBM3</c>), which selects the GPU peaks for MFU/MBU; null when absent.</summary>
    public string? GpuName { get; init; }

    /// <summary><c>rank</c>: the rank this run is: a merged file's rank label, else <c>distributedInfo.rank</c>; file-name ranks are applied later with the capture. Null when unknown.</summary>
    public long? Rank { get; init; }

    /// <summary><c>world_size</c>: ranks of the capture: <c>distributedInfo.world_size</c>, or the number of ranks of a merged file; null when unknown.</summary>
    public long? WorldSize { get; init; }

    /// <summary><c>profile</c>: name of the model profile used for categories and segmentation (<c>dsv4_csa_hca</c>, <c>dsv3_mla</c>, <c>generic</c> or a user profile's name).</summary>
    public required string Profile { get; init; }

    /// <summary><c>profile_reason</c>: why that profile, in one sentence (<c>--profile</c>, the config key that chose it, or the fallback).</summary>
    public string? ProfileReason { get; init; }

    /// <summary><c>anchor_kernel</c>: the anchor pattern of the first device's segmentation (a case-insensitive substring of a kernel name); null when no anchor was found.</summary>
    public string? AnchorKernel { get; init; }

    /// <summary><c>anchor_role</c>: <c>opens</c> or <c>closes</c> (docs/profiles.md, 'Anchor role'); null when the run has no segmentation.</summary>
    public string? AnchorRole { get; init; }

    /// <summary><c>anchor_reason</c>: why that anchor (flag, profile, or auto-detection with its occurrence count), in words.</summary>
    public string? AnchorReason { get; init; }

    /// <summary><c>num_layers</c>: transformer layers per pass, used by every report of the run; null when the run has no segmentation.</summary>
    public long? NumLayers { get; init; }

    /// <summary><c>num_layers_source</c>: where <see cref="NumLayers"/> came from: <c>--num-layers</c>, a config key, or detection from the trace.</summary>
    public string? NumLayersSource { get; init; }

    /// <summary><c>blocks_per_layer</c>: anchor blocks per layer (1, or 2 for DeepSeek-V4's attention and FFN halves); null when the run has no segmentation.</summary>
    public long? BlocksPerLayer { get; init; }

    /// <summary><c>layer_evidence</c>: what placed the layer boundaries: <c>module_scopes</c>, <c>annotations</c>, <c>template</c>, <c>profile_pattern</c>, <c>anchor</c> or <c>none</c> (docs/segmentation.md, section 3).</summary>
    public string? LayerEvidence { get; init; }

    /// <summary><c>layer_evidence_detail</c>: that evidence in one sentence.</summary>
    public string? LayerEvidenceDetail { get; init; }

    /// <summary><c>trace_start_ns</c>: earliest <c>ts</c> of any usable event (kernels and CPU-side events; metadata and set-aside events excluded), ns; null when the trace has none.</summary>
    public long? TraceStartNs { get; init; }

    /// <summary><c>trace_end_ns</c>: latest <c>ts + dur</c> of any usable event, ns; null when the trace has none.</summary>
    public long? TraceEndNs { get; init; }

    /// <summary><c>base_time_ns</c>: the trace's <c>baseTimeNanoseconds</c> (wall clock = base_time_ns + ts_ns); null for traces with absolute <c>ts</c> or without it.</summary>
    public long? BaseTimeNs { get; init; }

    /// <summary><c>config_json</c>: the model <c>config.json</c> used, verbatim, so reports and <c>resegment</c> work without the file; null without a config.</summary>
    public string? ConfigJson { get; init; }

    /// <summary><c>tags</c>: JSON object of the <c>--tag KEY=VALUE</c> pairs; <c>{}</c> when none.</summary>
    public string Tags { get; init; } = "{}";

    /// <summary><c>options_key</c>: hex SHA-256 fingerprint of the options that shape the stored run (profile, anchor, role, layer count, config, step markers, capture traces): a file is "already present" only with the same SHA-256 and the same key.</summary>
    public required string OptionsKey { get; init; }

    /// <summary><c>kernel_count</c>: kernels stored for the run, every device together (set-aside kernels not counted).</summary>
    public long KernelCount { get; init; }

    /// <summary><c>event_count</c>: trace events read for the run: the whole file's, or this rank's events of a merged file.</summary>
    public long EventCount { get; init; }

    /// <summary>Runtime graph launches in the trace; null when it holds no kernel launch record (<c>runs.graph_launch_count</c>).</summary>
    public long? GraphLaunchCount { get; init; }
}
