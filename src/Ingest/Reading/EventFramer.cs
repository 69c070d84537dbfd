using System.Buffers;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// The framing tokenizer: reads the decompressed JSON in chunks into one buffer (which the fast scanner decodes
/// clean events from in place) and finds complete values (events the fast scanner declines, member keys, metadata
/// values) by tracking strings, escapes and nesting depth with vectorized
/// searches. It never parses a value; an event split across chunks is glued by keeping the unconsumed bytes
/// and reading more (growing the buffer only for a value larger than it). Offsets are absolute in the
/// decompressed stream; newlines are counted as bytes leave the buffer, so any problem can be given a line and
/// column. Modelled on Perfetto's <c>json_trace_tokenizer</c> (google/perfetto,
/// <c>src/trace_processor/importers/json/</c>).
/// </summary>
internal sealed class EventFramer
{
    private static readonly SearchValues<byte> ObjectStops = SearchValues.Create("\"{}"u8);
    private static readonly SearchValues<byte> ValueStops = SearchValues.Create("\"{}[]"u8);
    private static readonly SearchValues<byte> StringStops = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> ScalarStops = SearchValues.Create(",:{}[]\" \t\r\n"u8);
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);
    private const long ProgressStep = 4L << 20;

    private readonly Stream _stream;
    private readonly Action<long>? _progress;
    private readonly CancellationToken _ct;
    private byte[] _buf;
    private int _start;
    private int _end;
    private long _base;
    private bool _eof;
    private long _newlines;
    private long _lastNewline = -1;
    private long _lastProgress;

    public EventFramer(Stream stream, int bufferSize, Action<long>? progress, CancellationToken ct)
    {
        _stream = stream;
        _buf = new byte[Math.Max(bufferSize, 64)];
        _progress = progress;
        _ct = ct;
    }

    /// <summary>Absolute offset of the first unconsumed byte.</summary>
    public long Position => _base + _start;

    /// <summary>Bytes read from the stream so far (at the end: the decompressed size).</summary>
    public long TotalRead => _base + _end;

    /// <summary>The unconsumed bytes; valid until the next call that may read.</summary>
    public ReadOnlySpan<byte> Pending => _buf.AsSpan(_start, _end - _start);

    /// <summary>Consumes <paramref name="count"/> bytes.</summary>
    public void Advance(int count) => _start += count;

    /// <summary>Reports progress one last time (the whole stream consumed).</summary>
    public void ReportFinalProgress() => _progress?.Invoke(TotalRead);

    /// <summary>
    /// Skips whitespace (and a UTF-8 byte-order mark at offset 0) and returns the next byte without consuming
    /// it, or -1 at the end of the data.
    /// </summary>
    public int PeekNonWhitespace()
    {
        while (true)
        {
            var span = Pending;
            if (_base + _start == 0 && span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF)
            {
                _start += 3;
                continue;
            }
            int i = span.IndexOfAnyExcept(Whitespace);
            if (i >= 0)
            {
                _start += i;
                return _buf[_start];
            }
            _start = _end;
            if (!Fill()) return -1;
        }
    }

    /// <summary>
    /// Frames the object that starts at the current position (which must be <c>{</c>): tracks only braces and
    /// strings, the hot path of the reader. <paramref name="length"/> is the object's length, or at the end of the
    /// data the number of bytes available.
    /// </summary>
    /// <returns>True when the object is complete; false when the data ends inside it.</returns>
    public bool FrameObject(out int length)
    {
        int rel = 1, depth = 1;
        bool inString = false;
        while (true)
        {
            var span = _buf.AsSpan(_start + rel, _end - _start - rel);
            while (true)
            {
                if (!inString)
                {
                    int i = span.IndexOfAny(ObjectStops);
                    if (i < 0)
                    {
                        rel += span.Length;
                        break;
                    }
                    byte c = span[i];
                    rel += i + 1;
                    span = span[(i + 1)..];
                    if (c == (byte)'"') inString = true;
                    else if (c == (byte)'{') depth++;
                    else if (--depth == 0)
                    {
                        length = rel;
                        return true;
                    }
                }
                else
                {
                    int i = span.IndexOfAny(StringStops);
                    if (i < 0)
                    {
                        rel += span.Length;
                        break;
                    }
                    if (span[i] == (byte)'"')
                    {
                        rel += i + 1;
                        span = span[(i + 1)..];
                        inString = false;
                    }
                    else if (i + 1 < span.Length)
                    {
                        rel += i + 2;
                        span = span[(i + 2)..];
                    }
                    else
                    {
                        rel += i; // rescan the backslash once its escaped byte has arrived
                        break;
                    }
                }
            }
            if (!Fill())
            {
                length = _end - _start;
                return false;
            }
        }
    }

    /// <summary>
    /// Frames any JSON value at the current position: an object or array (brackets of both kinds), a string, or a
    /// scalar (up to the next delimiter).
    /// </summary>
    /// <returns>True when complete; false when the data ends inside it (<paramref name="length"/> = bytes available).</returns>
    public bool FrameValue(out int length)
    {
        if (Pending.Length == 0 && !Fill())
        {
            length = 0;
            return false;
        }
        byte first = _buf[_start];
        if (first == (byte)'"') return FrameString(out length);
        if (first != (byte)'{' && first != (byte)'[')
        {
            int rel = 1;
            while (true)
            {
                int i = _buf.AsSpan(_start + rel, _end - _start - rel).IndexOfAny(ScalarStops);
                if (i >= 0)
                {
                    length = rel + i;
                    return true;
                }
                rel = _end - _start;
                if (!Fill())
                {
                    length = rel;
                    return true;
                }
            }
        }
        int r = 1, depth = 1;
        bool inString = false;
        while (true)
        {
            var span = _buf.AsSpan(_start + r, _end - _start - r);
            while (true)
            {
                if (!inString)
                {
                    int i = span.IndexOfAny(ValueStops);
                    if (i < 0)
                    {
                        r += span.Length;
                        break;
                    }
                    byte c = span[i];
                    r += i + 1;
                    span = span[(i + 1)..];
                    if (c == (byte)'"') inString = true;
                    else if (c == (byte)'{' || c == (byte)'[') depth++;
                    else if (--depth == 0)
                    {
                        length = r;
                        return true;
                    }
                }
                else
                {
                    int i = span.IndexOfAny(StringStops);
                    if (i < 0)
                    {
                        r += span.Length;
                        break;
                    }
                    if (span[i] == (byte)'"')
                    {
                        r += i + 1;
                        span = span[(i + 1)..];
                        inString = false;
                    }
                    else if (i + 1 < span.Length)
                    {
                        r += i + 2;
                        span = span[(i + 2)..];
                    }
                    else
                    {
                        r += i;
                        break;
                    }
                }
            }
            if (!Fill())
            {
                length = _end - _start;
                return false;
            }
        }
    }

    /// <summary>Frames the string that starts at the current position (which must be <c>"</c>), quotes included.</summary>
    public bool FrameString(out int length)
    {
        int rel = 1;
        while (true)
        {
            var span = _buf.AsSpan(_start + rel, _end - _start - rel);
            while (true)
            {
                int i = span.IndexOfAny(StringStops);
                if (i < 0)
                {
                    rel += span.Length;
                    break;
                }
                if (span[i] == (byte)'"')
                {
                    length = rel + i + 1;
                    return true;
                }
                if (i + 1 >= span.Length)
                {
                    rel += i;
                    break;
                }
                rel += i + 2;
                span = span[(i + 2)..];
            }
            if (!Fill())
            {
                length = _end - _start;
                return false;
            }
        }
    }

    /// <summary>
    /// Resynchronizes after damage: consumes bytes up to the next <c>}</c>, optional whitespace, <c>,</c>,
    /// optional whitespace, <c>{</c> — the boundary between two events of the array — and stops at that <c>{</c>.
    /// </summary>
    /// <returns>False when the data ends first (everything was consumed).</returns>
    public bool SkipToNextEventStart()
    {
        while (true)
        {
            var span = Pending;
            int i = span.IndexOf((byte)'}');
            if (i < 0)
            {
                _start = _end;
                if (!Fill()) return false;
                continue;
            }
            if (span.Length - i < 256 && !_eof)
            {
                _start += i;
                Fill();
                continue;
            }
            int next = FindBoundary(span, i);
            if (next >= 0)
            {
                _start += next;
                return true;
            }
            _start += i + 1;
        }
    }

    /// <summary>
    /// Finds, in <paramref name="span"/> at or after <paramref name="from"/>, an event boundary
    /// (<c>}</c> ws <c>,</c> ws <c>{</c>) and returns the index of its <c>{</c>, or -1.
    /// </summary>
    public static int FindBoundary(ReadOnlySpan<byte> span, int from)
    {
        while (from < span.Length)
        {
            int i = span[from..].IndexOf((byte)'}');
            if (i < 0) return -1;
            int j = from + i + 1;
            while (j < span.Length && IsSpace(span[j])) j++;
            if (j < span.Length && span[j] == (byte)',')
            {
                j++;
                while (j < span.Length && IsSpace(span[j])) j++;
                if (j < span.Length && span[j] == (byte)'{') return j;
            }
            from += i + 1;
        }
        return -1;
    }

    /// <summary>1-based line and column of an absolute offset at or after the first byte still in the buffer.</summary>
    public (long Line, long Column) Locate(long offset)
    {
        long newlines = _newlines, lastNewline = _lastNewline;
        long rel = Math.Clamp(offset - _base, 0, _end);
        var seen = _buf.AsSpan(0, (int)rel);
        newlines += seen.Count((byte)'\n');
        int last = seen.LastIndexOf((byte)'\n');
        if (last >= 0) lastNewline = _base + last;
        return (newlines + 1, offset - lastNewline);
    }

    /// <summary>
    /// Reads more data, keeping the unconsumed bytes (moved to the front; the buffer doubles when they fill it).
    /// </summary>
    /// <returns>False at the end of the stream (nothing more was read).</returns>
    public bool Fill()
    {
        _ct.ThrowIfCancellationRequested();
        if (_eof) return false;
        if (_start > 0)
        {
            var gone = _buf.AsSpan(0, _start);
            int nl = gone.Count((byte)'\n');
            if (nl > 0)
            {
                _newlines += nl;
                _lastNewline = _base + gone.LastIndexOf((byte)'\n');
            }
            _buf.AsSpan(_start, _end - _start).CopyTo(_buf);
            _base += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buf.Length) Array.Resize(ref _buf, checked(_buf.Length * 2));
        int free = _buf.Length - _end;
        int n = _stream.ReadAtLeast(_buf.AsSpan(_end, free), free, throwOnEndOfStream: false);
        if (n < free) _eof = true;
        _end += n;
        if (_progress is not null && TotalRead - _lastProgress >= ProgressStep)
        {
            _lastProgress = TotalRead;
            _progress(Position);
        }
        return n > 0;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
