namespace LlmPipeline.Ingest.Storage;

/// <summary>The <c>runs</c> row of one ingest (see <c>sql/schema.sql</c> for each column's meaning and unit).</summary>
public sealed record RunRecord
{
    public string? Label { get; init; }
    public required string SourcePath { get; init; }
    public long SourceBytes { get; init; }
    public required string SourceSha256 { get; init; }
    public long JsonBytes { get; init; }
    public required string IngestedAt { get; init; }
    public string? Framework { get; init; }
    public string? FrameworkSource { get; init; }
    public string? GitCommit { get; init; }
    public string? Model { get; init; }
    public string? ModelSource { get; init; }
    public string? GpuName { get; init; }
    public long? Rank { get; init; }
    public long? WorldSize { get; init; }
    public required string Profile { get; init; }
    public string? ProfileReason { get; init; }
    public string? AnchorKernel { get; init; }
    public string? AnchorRole { get; init; }
    public string? AnchorReason { get; init; }
    public long? NumLayers { get; init; }
    public string? NumLayersSource { get; init; }
    public long? BlocksPerLayer { get; init; }
    public string? LayerEvidence { get; init; }
    public string? LayerEvidenceDetail { get; init; }
    public long? TraceStartNs { get; init; }
    public long? TraceEndNs { get; init; }
    public long? BaseTimeNs { get; init; }
    public string? ConfigJson { get; init; }
    public string Tags { get; init; } = "{}";
    public required string OptionsKey { get; init; }
    public long KernelCount { get; init; }
    public long EventCount { get; init; }

    /// <summary>Runtime graph launches in the trace; null when it holds no kernel launch record (<c>runs.graph_launch_count</c>).</summary>
    public long? GraphLaunchCount { get; init; }
}
