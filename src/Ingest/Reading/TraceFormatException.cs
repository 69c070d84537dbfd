namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// A trace file that cannot be read as Chrome trace-event JSON (or, in strict mode, the first repairable problem).
/// The message names the file, the byte offset in the <b>decompressed</b> stream, and the 1-based line and column:
/// <c>trace.json.gz: byte 1234 (line 1, column 1235): &lt;what is wrong&gt;</c>.
/// </summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>Creates the exception; the message is composed from the location and <paramref name="problem"/>.</summary>
    /// <param name="filePath">The trace file as the caller named it.</param>
    /// <param name="byteOffset">0-based byte offset in the decompressed stream.</param>
    /// <param name="line">1-based line of that byte.</param>
    /// <param name="column">1-based column (in bytes) of that byte.</param>
    /// <param name="problem">What is wrong, one sentence without the location.</param>
    /// <param name="inner">The underlying parser or decompression error, if any.</param>
    public TraceFormatException(string filePath, long byteOffset, long line, long column, string problem, Exception? inner = null)
        : base($"{filePath}: byte {byteOffset} (line {line}, column {column}): {problem}", inner)
    {
        FilePath = filePath;
        ByteOffset = byteOffset;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The trace file as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>0-based byte offset of the problem in the decompressed stream (64-bit: traces exceed 2 GB).</summary>
    public long ByteOffset { get; }

    /// <summary>1-based line of the problem.</summary>
    public long Line { get; }

    /// <summary>1-based column of the problem, counted in bytes from the start of its line.</summary>
    public long Column { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Problem { get; }
}
