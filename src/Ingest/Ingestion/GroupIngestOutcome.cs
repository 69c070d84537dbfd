using LlmPipeline.Ingest.Captures;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>What <see cref="TraceIngestor.IngestGroup"/> did for one group of trace files.</summary>
/// <param name="Files">Each file of the group, in the group's order (rank order, as <see cref="CaptureGrouper"/> sorts
/// them): its runs, or why it was left out.</param>
/// <param name="Capture">The capture the group's runs form (capture id, ranks, time alignment, rank warnings); null for
/// a lone file (a name without a rank) and when no file of the group was stored or found stored.</param>
public sealed record GroupIngestOutcome(IReadOnlyList<GroupFileOutcome> Files, CaptureAssignment? Capture);
