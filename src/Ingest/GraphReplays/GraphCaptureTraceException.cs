namespace LlmPipeline.Ingest.GraphReplays;

/// <summary>
/// The file given to ingest is a CUDA/HIP-graph capture trace (<see cref="GraphCaptureSigns"/>), not a run: its
/// kernels were captured, never run. Nothing was stored; the message says how to use the file instead.
/// </summary>
public sealed class GraphCaptureTraceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What the file is, the signs seen, and how to use it.</param>
    public GraphCaptureTraceException(string message) : base(message) { }
}
