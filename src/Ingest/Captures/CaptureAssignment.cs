namespace LlmPipeline.Ingest.Captures;

/// <summary>What <see cref="CaptureAssigner"/> did for one group of files.</summary>
/// <param name="CaptureId">The capture the runs now belong to; null for a lone file.</param>
/// <param name="Name">The capture's name; null for a lone file.</param>
/// <param name="WorldSize">Ranks expected (<c>distributedInfo.world_size</c>), when known.</param>
/// <param name="Ranks">Run id → rank as stored.</param>
/// <param name="TimeAlignment">Per run id, how its time offset was found (empty for a lone file).</param>
/// <param name="Warnings">Rank conflicts, duplicate or missing ranks, in words (also stored in <c>ingest_warnings</c>).</param>
public sealed record CaptureAssignment(
    long? CaptureId,
    string? Name,
    long? WorldSize,
    IReadOnlyDictionary<long, long> Ranks,
    IReadOnlyDictionary<long, string> TimeAlignment,
    IReadOnlyList<string> Warnings);
