using System.IO.Compression;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// Opens a trace file as a stream of JSON bytes: gzip is detected by its magic bytes <c>1F 8B</c>, never by the
/// file suffix, and every member of a multi-member gzip file is read (docs/trace-format.md, 'Files and compression').
/// </summary>
public static class TraceInput
{
    /// <summary>Opens <paramref name="path"/> and returns its decompressed bytes.</summary>
    /// <param name="path">A plain or gzip-compressed trace file.</param>
    /// <returns>A forward-only stream of the JSON bytes; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist (the message names it).</exception>
    /// <exception cref="TraceFormatException">
    /// The decompressed content is empty or only whitespace ("empty trace after decompression"), or the gzip data is
    /// corrupt before any byte decompressed. Corruption later in the data ends the stream early instead; the reader
    /// then reports <c>gzip_truncated</c> and the truncation of the JSON.
    /// </exception>
    public static Stream Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Trace file not found: {path}", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Open(file, path);
    }

    /// <summary>
    /// Wraps an already open file stream (read from its start; it need not be seekable) the same way as
    /// <see cref="Open(string)"/>; the returned stream owns <paramref name="raw"/>.
    /// </summary>
    /// <param name="raw">The file's bytes as stored.</param>
    /// <param name="path">The file's name, for error messages.</param>
    /// <exception cref="TraceFormatException">As for <see cref="Open(string)"/>.</exception>
    public static Stream Open(Stream raw, string path)
    {
        TraceInputStream? input = null;
        try
        {
            var magic = new byte[2];
            int n = raw.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            var stored = new PrefixedStream(magic[..n], raw);
            bool gzip = n == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            Stream decompressed = gzip ? new GZipStream(stored, CompressionMode.Decompress) : stored;
            input = new TraceInputStream(decompressed, raw, gzip);
            if (!input.PeekContent())
            {
                if (input.DecompressionError is { } err)
                    throw new TraceFormatException(path, 0, 1, 1, $"corrupt gzip data before any JSON could be decompressed: {err}");
                throw new TraceFormatException(path, 0, 1, 1,
                    gzip ? "empty trace after decompression" : "empty trace: the file holds no JSON (empty or only whitespace)");
            }
            return input;
        }
        catch
        {
            if (input is not null) input.Dispose();
            else raw.Dispose();
            throw;
        }
    }
}
