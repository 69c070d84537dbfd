using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.GraphReplays;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>Everything <c>llmpipe ingest</c> was asked to do for one trace file.</summary>
public sealed record IngestRequest
{
    /// <summary>Trace file (<c>.json</c> or gzip, detected by magic bytes).</summary>
    public required string TracePath { get; init; }

    /// <summary>Database file (created when absent).</summary>
    public required string DbPath { get; init; }

    /// <summary><c>--config</c>: model config.json; when null, a <c>config.json</c> next to the trace is used (and said so).</summary>
    public string? ConfigPath { get; init; }

    /// <summary><c>--profile</c>: built-in profile name or profile JSON file; null = inferred from the config.</summary>
    public string? Profile { get; init; }

    /// <summary><c>--anchor-kernel</c>, <c>--anchor-role</c>, <c>--num-layers</c> overrides.</summary>
    public SegmentationOptions Segmentation { get; init; } = new();

    /// <summary><c>--label</c>.</summary>
    public string? Label { get; init; }

    /// <summary><c>--framework</c> (else inferred).</summary>
    public string? Framework { get; init; }

    /// <summary><c>--commit</c>.</summary>
    public string? Commit { get; init; }

    /// <summary><c>--model</c> (else inferred).</summary>
    public string? Model { get; init; }

    /// <summary><c>--tag KEY=VALUE</c> pairs.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--force</c>: ingest again even when the same file with the same options is present.</summary>
    public bool Force { get; init; }

    /// <summary><c>--strict</c>: the first trace problem is an error.</summary>
    public bool Strict { get; init; }

    /// <summary>Read buffer size in bytes, 16 or more (the stored rows are identical for any size).</summary>
    public int BufferSize { get; init; } = 1 << 20;

    /// <summary>
    /// Kernel rows per multi-row <c>INSERT</c> statement (<see cref="Storage.MultiRowInsert"/>), 1 to 2,047 (16 columns
    /// under SQLite's 32,766 parameters); the stored rows are identical for any value. 64: 256 measured no faster.
    /// </summary>
    public int RowsPerStatement { get; init; } = 64;

    /// <summary>
    /// <c>--capture-traces</c>: companion capture trace file or folder whose kernels give graph replays their cpu_op and
    /// shapes (docs/messy-traces.md, B26); null = a <c>capture_traces/</c> folder next to the trace, when present.
    /// </summary>
    public string? CaptureTraces { get; init; }

    /// <summary>
    /// <c>--gpu-specs</c>: a JSON file of GPU peaks (the format of <c>src/Analysis/Efficiency/gpu_specs.json</c>) whose
    /// entries add to or replace the shipped ones; null = the shipped table only.
    /// </summary>
    public string? GpuSpecs { get; init; }

    /// <summary>
    /// <c>--step-markers</c>: user phase-rules JSON (the shape of <c>src/Analysis/Phases/step_markers.json</c>) whose
    /// grammars and attention signatures are tried before the built-in ones (<see cref="LlmPipeline.Analysis.Phases.PhaseRules.ForUserFile"/>);
    /// null = built-in rules only. Applied inside the ingest's own transaction (<see cref="RunSetup.PhaseRules"/>).
    /// </summary>
    public string? StepMarkers { get; init; }
}
