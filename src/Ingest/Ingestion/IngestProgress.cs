namespace LlmPipeline.Ingest.Ingestion;

/// <summary>Progress of a running ingest.</summary>
/// <param name="Stage">What is happening: <c>reading</c> (the trace), <c>segmenting</c>, <c>capture traces</c> (reading
/// the companion graph-capture traces, before the database is locked), <c>writing</c> (inside the transaction that
/// stores the runs).</param>
/// <param name="BytesRead">Decompressed JSON bytes read so far.</param>
/// <param name="CompressedBytesRead">Bytes of the file read so far (for the ETA against the file size).</param>
/// <param name="FileBytes">Size of the file on disk.</param>
/// <param name="TracePath">The file the report is about (a group ingest reads several); null when not said.</param>
public readonly record struct IngestProgress(string Stage, long BytesRead, long CompressedBytesRead, long FileBytes, string? TracePath = null);
