using System.Buffers.Text;

namespace LlmPipeline.TraceGen;

/// <summary>A buffered UTF-8 byte writer over a stream that counts every byte (no per-call allocation).</summary>
internal sealed class Utf8Sink
{
    private readonly Stream _out;
    private readonly byte[] _buf = new byte[1 << 20];
    private int _pos;
    private long _flushed;

    public Utf8Sink(Stream output) => _out = output;

    /// <summary>Bytes written so far (flushed or buffered).</summary>
    public long BytesWritten => _flushed + _pos;

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buf.Length - _pos)
        {
            Flush();
            if (bytes.Length > _buf.Length)
            {
                _out.Write(bytes);
                _flushed += bytes.Length;
                return;
            }
        }
        bytes.CopyTo(_buf.AsSpan(_pos));
        _pos += bytes.Length;
    }

    public void Byte(byte b)
    {
        if (_pos == _buf.Length) Flush();
        _buf[_pos++] = b;
    }

    public void Int(long value)
    {
        if (_buf.Length - _pos < 24) Flush();
        Utf8Formatter.TryFormat(value, _buf.AsSpan(_pos), out int n);
        _pos += n;
    }

    /// <summary>Writes non-negative ns as Kineto does: microseconds with exactly three decimals (<c>12345.678</c>).</summary>
    public void Micros(long ns)
    {
        if (ns < 0) throw new InvalidOperationException($"negative time {ns} ns");
        if (_buf.Length - _pos < 28) Flush();
        Utf8Formatter.TryFormat(ns / 1000, _buf.AsSpan(_pos), out int n);
        _pos += n;
        long frac = ns % 1000;
        _buf[_pos] = (byte)'.';
        _buf[_pos + 1] = (byte)('0' + frac / 100);
        _buf[_pos + 2] = (byte)('0' + frac / 10 % 10);
        _buf[_pos + 3] = (byte)('0' + frac % 10);
        _pos += 4;
    }

    public void Flush()
    {
        if (_pos == 0) return;
        _out.Write(_buf, 0, _pos);
        _flushed += _pos;
        _pos = 0;
    }
}
