namespace LlmPipeline.Ingest.Captures;

/// <summary>Trace files that form one capture (one file per rank), or a lone file.</summary>
/// <param name="Name">Capture name (the file name with its rank digits replaced by <c>*</c>); null for a lone file
/// whose name carries no rank.</param>
/// <param name="Directory">The files' directory (full path).</param>
/// <param name="Files">The files in rank order (file-name rank, then path).</param>
public sealed record CaptureGroup(string? Name, string Directory, IReadOnlyList<TraceFileName> Files)
{
    /// <summary>Whether the files form a capture (their names carry a rank).</summary>
    public bool IsCapture => Name is not null;
}
