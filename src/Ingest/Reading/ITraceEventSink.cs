using System.Text.Json;
using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Ingest.Reading;

/// <summary>Receives what a <see cref="TraceReader"/> finds, in file order.</summary>
public interface ITraceEventSink
{
    /// <summary>One complete trace event (an element of <c>traceEvents</c>, or of a top-level array).</summary>
    void OnEvent(ref TraceEvent traceEvent);

    /// <summary>
    /// A top-level member other than <c>traceEvents</c> (<c>deviceProperties</c>, <c>distributedInfo</c>,
    /// <c>baseTimeNanoseconds</c>, <c>traceName</c>, ...), whether it stands before or after the event array.
    /// </summary>
    void OnMetadata(string key, JsonElement value);

    /// <summary>A repair or a notice: its kind (from <see cref="WarningCatalog"/>), the byte offset in the decompressed
    /// stream, and a sentence.</summary>
    void OnWarning(WarningKind kind, long byteOffset, string detail);

    /// <summary>
    /// True when the sink takes a file of several whole JSON documents one after another (several processes wrote one
    /// path, sgl-project/sglang#15326): the reader then reads each, announcing it with <see cref="OnDocumentStart"/>.
    /// False (the default): the reader stops after the first document and reports the rest as trailing data.
    /// </summary>
    bool AcceptsConcatenatedDocuments => false;

    /// <summary>
    /// Document <paramref name="index"/> (2, 3, ...: the first needs no announcement) starts at
    /// <paramref name="byteOffset"/> of the decompressed stream; the events and metadata that follow are its own.
    /// </summary>
    void OnDocumentStart(int index, long byteOffset) { }
}
