namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// Base of the forward-only, read-only streams of the ingest path (decompressed input, read-ahead, byte counting):
/// everything but reading is unsupported; subclasses implement <see cref="Read(Span{byte})"/>.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    /// <inheritdoc />
    public sealed override bool CanRead => true;
    /// <inheritdoc />
    public sealed override bool CanSeek => false;
    /// <inheritdoc />
    public sealed override bool CanWrite => false;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <summary>Bytes returned so far, where the subclass tracks it.</summary>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public sealed override void Flush() { }
    /// <inheritdoc />
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public sealed override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    /// <inheritdoc />
    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    /// <inheritdoc />
    public abstract override int Read(Span<byte> buffer);
}
