namespace LlmPipeline.Ingest.Reading;

/// <summary>A read-only stream that serves a few already-read bytes, then the rest of another stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyStream
{
    private int _pos;

    public override int Read(Span<byte> buffer)
    {
        if (_pos < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _pos);
            prefix.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
        return rest.Read(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }
}
