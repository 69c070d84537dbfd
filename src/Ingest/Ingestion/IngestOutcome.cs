using LlmPipeline.Ingest.Phases;
namespace LlmPipeline.Ingest.Ingestion;

/// <summary>What one ingest did.</summary>
/// <param name="RunId">The new run's id, or the existing run's id when <paramref name="AlreadyPresent"/>.</param>
/// <param name="AlreadyPresent">True when the same file (SHA-256) with the same segmentation options was already stored.</param>
/// <param name="Summary">One paragraph for the user: kernels, profile, anchor and why, layers, passes, warnings.</param>
/// <param name="Warnings">One line per warning kind (count, first byte offset, detail).</param>
/// <param name="KernelCount">Kernels stored.</param>
/// <param name="JsonBytes">Bytes of (decompressed) JSON read.</param>
/// <param name="Elapsed">Wall time of the ingest.</param>
public sealed record IngestOutcome(
    long RunId,
    bool AlreadyPresent,
    string Summary,
    IReadOnlyList<string> Warnings,
    long KernelCount,
    long JsonBytes,
    TimeSpan Elapsed)
{
    private readonly IReadOnlyList<long>? _runIds;

    /// <summary>
    /// Every run the file gave, by rank: one per rank label of a merged multi-rank file (docs/messy-traces.md, B24, all in
    /// one capture), one per document of a file of concatenated documents (several writers), else <see cref="RunId"/> alone.
    /// </summary>
    public IReadOnlyList<long> RunIds
    {
        get => _runIds ?? [RunId];
        init => _runIds = value;
    }

    /// <summary>How the passes of each run in <see cref="RunIds"/> got their phases (same order); empty when already present.</summary>
    public IReadOnlyList<PhaseAssignmentResult> Phases { get; init; } = [];
}
