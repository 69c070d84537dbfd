using System.Security.Cryptography;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// A read-only pass-through stream that counts the bytes read from the file (for progress and ETA) and, given a hash,
/// appends every byte read to it, in file order (the run's <c>source_sha256</c> taken while the trace is read).
/// </summary>
internal sealed class CountingStream(Stream inner, IncrementalHash? hash = null) : LlmPipeline.Ingest.Reading.ReadOnlyStream
{
    /// <summary>Bytes read from the file so far (all of them appended to the hash, when one was given).</summary>
    public long BytesRead { get; private set; }

    public override long Length => inner.Length;
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        hash?.AppendData(buffer[..n]);
        BytesRead += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
