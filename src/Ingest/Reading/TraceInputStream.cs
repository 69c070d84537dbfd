namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// The decompressed byte stream <see cref="TraceInput.Open(string)"/> returns: serves the bytes it peeked at
/// first, then the rest; a decompression error after some data becomes the end of the stream, remembered in
/// <see cref="DecompressionError"/> (the reader reports it as <c>gzip_truncated</c>) instead of escaping as an
/// <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class TraceInputStream(Stream inner, Stream? compressed, bool isGzip) : ReadOnlyStream
{
    private byte[] _prefix = [];
    private int _prefixPos;
    private long _produced;

    /// <summary>True when the file is gzip (detected by its magic bytes).</summary>
    public bool IsGzip => isGzip;

    /// <summary>The decompression error that ended the stream early, if any.</summary>
    public string? DecompressionError { get; private set; }

    /// <summary>Decompressed bytes produced when the error happened.</summary>
    public long ErrorAtDecompressedByte { get; private set; }

    /// <summary>
    /// Reads until the first non-whitespace byte (kept for the reader) or the end of the data.
    /// </summary>
    /// <returns>True when non-whitespace data exists.</returns>
    public bool PeekContent()
    {
        var held = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            int n = ReadInner(chunk);
            if (n == 0)
            {
                _prefix = held.ToArray();
                return false;
            }
            held.Write(chunk, 0, n);
            if (chunk.AsSpan(0, n).IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                _prefix = held.ToArray();
                return true;
            }
        }
    }

    /// <summary>Bytes of the compressed file read so far, for error messages (approximate: the decompressor reads ahead
    /// by its buffer); -1 when the stream cannot tell.</summary>
    public long CompressedPosition
    {
        get
        {
            try
            {
                return compressed?.Position ?? -1;
            }
            catch (NotSupportedException)
            {
                return -1;
            }
        }
    }

    public override long Position { get => _produced; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPos < _prefix.Length)
        {
            int n = Math.Min(buffer.Length, _prefix.Length - _prefixPos);
            _prefix.AsSpan(_prefixPos, n).CopyTo(buffer);
            _prefixPos += n;
            if (_prefixPos == _prefix.Length) _prefix = [];
            _produced += n;
            return n;
        }
        int read = ReadInner(buffer);
        _produced += read;
        return read;
    }

    private int ReadInner(Span<byte> buffer)
    {
        if (DecompressionError is not null) return 0;
        try
        {
            return inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            // .NET words zlib's Z_DATA_ERROR as "...unsupported compression method", which misleads for a gzip file
            // whose deflate blocks or CRC are damaged: say what zlib found, and where in the compressed file.
            var where = CompressedPosition is var at and >= 0 ? $", found after reading {at} bytes of the compressed file" : "";
            DecompressionError = isGzip ? $"invalid deflate data or checksum{where}" : ex.Message;
            ErrorAtDecompressedByte = _produced + _prefix.Length - _prefixPos;
            return 0;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            compressed?.Dispose();
        }
        base.Dispose(disposing);
    }
}
