namespace LlmPipeline.Ingest.Ingestion;

/// <summary>An ingest input problem (missing trace or config file, invalid profile) with a message naming the file.</summary>
public sealed class IngestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IngestException(string message, Exception? inner = null) : base(message, inner) { }
}
