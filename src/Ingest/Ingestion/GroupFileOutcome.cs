namespace LlmPipeline.Ingest.Ingestion;

/// <summary>How one file of a group ended (<see cref="TraceIngestor.IngestGroup"/>).</summary>
/// <param name="TracePath">The file, as given.</param>
/// <param name="Outcome">Its runs: stored by the group's transaction, or found already stored; null when the file was left out.</param>
/// <param name="Error">Why the file was left out of the group (nothing of it stored, the other files stored without it):
/// the exception <see cref="TraceIngestor.Ingest"/> throws for the file alone (<see cref="Reading.TraceFormatException"/>,
/// <see cref="IngestException"/>, <see cref="GraphReplays.GraphCaptureTraceException"/>, a staging
/// <see cref="Storage.DatabaseException"/>…); null when <paramref name="Outcome"/> is set.</param>
public sealed record GroupFileOutcome(string TracePath, IngestOutcome? Outcome, Exception? Error);
