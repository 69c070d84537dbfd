namespace LlmPipeline.Analysis.Warnings;

/// <summary>
/// The step of an ingest (or resegment) that writes a warning kind, in the order a trace goes through them. Printed
/// in snake_case (<see cref="WarningCatalog.Label(WarningStage)"/>); described for users by
/// <see cref="WarningCatalog.Describe(WarningStage)"/>.
/// </summary>
public enum WarningStage
{
    /// <summary>The reader: JSON and gzip syntax, field types (<c>src/Ingest/Reading</c>).</summary>
    Reading,

    /// <summary>The normalizer: events into kernels, launches, annotations and memory operations (<c>src/Ingest/Normalizing</c>).</summary>
    Normalizing,

    /// <summary>Splitting one file into runs, one per rank or per document (<c>src/Ingest/Ranks</c>).</summary>
    Ranks,

    /// <summary>The ingest pipeline around segmentation: per-device kernel checks, launching operators, GPU peaks
    /// (<c>src/Ingest/Ingestion</c>, <c>src/Ingest/Segmenting</c>).</summary>
    Ingest,

    /// <summary>CUDA/HIP-graph replays attributed from graph-capture traces (<c>src/Ingest/GraphReplays</c>).</summary>
    GraphReplays,

    /// <summary>Grouping the rank files of one multi-rank capture (<c>src/Ingest/Captures</c>).</summary>
    Captures,

    /// <summary>The segmenter: forward passes and layers (<c>src/Analysis/Segmentation</c>). Only these kinds are
    /// recomputed, and so replaced, by <c>llmpipe resegment</c> and <c>llmpipe recategorize</c>.</summary>
    Segmentation,
}
