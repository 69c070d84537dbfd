namespace LlmPipeline.Ingest.Ingestion;

/// <summary>Progress of a running ingest.</summary>
/// <param name="Stage">What is happening: <c>reading</c>, <c>segmenting</c>, <c>writing</c>, <c>indexing</c>.</param>
/// <param name="BytesRead">Decompressed JSON bytes read so far.</param>
/// <param name="CompressedBytesRead">Bytes of the file read so far (for the ETA against the file size).</param>
/// <param name="FileBytes">Size of the file on disk.</param>
public readonly record struct IngestProgress(string Stage, long BytesRead, long CompressedBytesRead, long FileBytes);
