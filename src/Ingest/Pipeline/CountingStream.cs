namespace LlmPipeline.Ingest.Pipeline;

/// <summary>A read-only pass-through stream that counts the bytes read from the file (for progress and ETA).</summary>
internal sealed class CountingStream(Stream inner) : LlmPipeline.Ingest.Reading.ReadOnlyStream
{
    public long BytesRead { get; private set; }
    public override long Length => inner.Length;
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    private int Count(int n)
    {
        BytesRead += n;
        return n;
    }
}
