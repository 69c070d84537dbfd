using System.Buffers;
using System.Buffers.Text;
using System.Text.Unicode;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// The fast path of event decoding for clean events: walks the members of one event straight from the read buffer
/// (<see cref="TryScanPrefix"/>, finding its end as it goes) with vectorized searches, decodes only the fields
/// <see cref="TraceEvent"/> holds and jumps over every other value without tokenizing it. It gives up (returns false) at the first thing that is not plain, well-formed JSON, or that
/// needs a warning (an escape in a field it keeps, a control byte, a literal it does not know, a numeric string,
/// a number out of range, a trailing comma, a missing <c>ph</c>); the caller then parses the event with the
/// validating <see cref="TraceEventParser"/>, which reports and repairs. Both fill the same fields the same way
/// (checked on every shared trace by the reader's tests).
/// </summary>
internal sealed class FastEventScanner
{
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(StringStopBytes());
    private static readonly SearchValues<byte> NestedStops = SearchValues.Create("\"{}[]"u8);
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    private byte[] _scratch = new byte[4096];
    private int _scratchPos;

    /// <summary>
    /// Decodes the clean event that starts at <paramref name="data"/>[0] (<c>{</c>) and may be followed by more data:
    /// the single pass of the hot path, which finds the event's end while decoding it, so the bytes are not framed
    /// first. False means "frame it and use the validating parser": an unusual event, or one that runs past the end
    /// of <paramref name="data"/> (the rest not read yet).
    /// </summary>
    /// <param name="data">Bytes from the event's <c>{</c> on (any length).</param>
    /// <param name="byteOffset">Absolute offset of the <c>{</c> in the decompressed stream.</param>
    /// <param name="ev">Receives the decoded fields.</param>
    /// <param name="length">The event's length in bytes, through its closing <c>}</c>.</param>
    public bool TryScanPrefix(ReadOnlySpan<byte> data, long byteOffset, ref TraceEvent ev, out int length)
    {
        ev = default;
        ev.ByteOffset = byteOffset;
        _scratchPos = 0;
        int pos = 1;
        length = 0;
        if (!Members(data, ref pos, ref ev, args: false)) return false;
        length = pos;
        return ev.Ph != 0;
    }

    /// <summary>Reads the members of the object whose '{' is just before <paramref name="pos"/>, through its '}'.</summary>
    private bool Members(ReadOnlySpan<byte> json, scoped ref int pos, ref TraceEvent ev, bool args)
    {
        if (!SkipSpace(json, ref pos)) return false;
        if (json[pos] == (byte)'}') return false; // {} or args:{}: rare, the validating parser handles it
        while (true)
        {
            if (json[pos] != (byte)'"' || !PlainString(json, ref pos, out var key)) return false;
            if (!SkipSpace(json, ref pos) || json[pos] != (byte)':') return false;
            pos++;
            if (!SkipSpace(json, ref pos)) return false;
            bool ok = args ? ArgMember(key, json, ref pos, ref ev) : EventMember(key, json, ref pos, ref ev);
            if (!ok || !SkipSpace(json, ref pos)) return false;
            byte c = json[pos++];
            if (c == (byte)'}') return true;
            if (c != (byte)',' || !SkipSpace(json, ref pos)) return false;
        }
    }

    private bool EventMember(scoped ReadOnlySpan<byte> key, ReadOnlySpan<byte> json, scoped ref int pos, ref TraceEvent ev)
    {
        switch (key.Length)
        {
            case 2:
                if (key.SequenceEqual("ph"u8))
                {
                    if (!Utf8String(json, ref pos, out var ph) || ph.IsEmpty) return false;
                    ev.Ph = ph[0];
                    return true;
                }
                if (key.SequenceEqual("ts"u8))
                {
                    if (!Number(json, ref pos, out var ts) || !DecimalMicros.TryParseNs(ts, out ev.TsNs)) return false;
                    ev.HasTs = true;
                    return true;
                }
                if (key.SequenceEqual("id"u8)) return Integer(json, ref pos, out ev.Id);
                break;
            case 3:
                if (key.SequenceEqual("cat"u8))
                {
                    if (!Utf8String(json, ref pos, out ev.Cat)) return false;
                    ev.Category = CategoryParser.Parse(ev.Cat);
                    return true;
                }
                if (key.SequenceEqual("dur"u8))
                {
                    if (!Number(json, ref pos, out var dur) || !DecimalMicros.TryParseNs(dur, out ev.DurNs)) return false;
                    ev.HasDur = true;
                    return true;
                }
                if (key.SequenceEqual("pid"u8)) return IdOrText(json, ref pos, out ev.Pid, out ev.PidText);
                if (key.SequenceEqual("tid"u8)) return IdOrText(json, ref pos, out ev.Tid, out ev.TidText);
                break;
            case 4:
                if (key.SequenceEqual("name"u8)) return Utf8String(json, ref pos, out ev.Name);
                if (key.SequenceEqual("args"u8))
                {
                    if (json[pos] != (byte)'{') return SkipValue(json, ref pos);
                    pos++;
                    return Members(json, ref pos, ref ev, args: true);
                }
                break;
        }
        return SkipValue(json, ref pos);
    }

    private bool ArgMember(scoped ReadOnlySpan<byte> key, ReadOnlySpan<byte> json, scoped ref int pos, ref TraceEvent ev)
    {
        switch (key.Length)
        {
            case 4:
                if (key.SequenceEqual("grid"u8)) return Compact(json, ref pos, out ev.Grid);
                if (key.SequenceEqual("name"u8)) return Utf8String(json, ref pos, out ev.ArgName);
                break;
            case 5:
                if (key.SequenceEqual("block"u8)) return Compact(json, ref pos, out ev.Block);
                if (key.SequenceEqual("bytes"u8)) return Integer(json, ref pos, out ev.Bytes);
                break;
            case 6:
                if (key.SequenceEqual("device"u8)) return Integer(json, ref pos, out ev.Device);
                if (key.SequenceEqual("stream"u8)) return Integer(json, ref pos, out ev.Stream);
                if (key.SequenceEqual("labels"u8)) return Utf8String(json, ref pos, out ev.ArgLabels);
                if (key.SequenceEqual("kernel"u8)) return Utf8String(json, ref pos, out ev.KernelArg);
                break;
            case 10:
                if (key.SequenceEqual("Input Dims"u8) || key.SequenceEqual("Input dims"u8)) return Compact(json, ref pos, out ev.InputDims);
                if (key.SequenceEqual("Input type"u8)) return Compact(json, ref pos, out ev.InputTypes);
                if (key.SequenceEqual("sycl queue"u8)) return Integer(json, ref pos, out ev.SyclQueue);
                break;
            case 11:
                if (key.SequenceEqual("correlation"u8)) return Integer(json, ref pos, out ev.Correlation);
                if (key.SequenceEqual("External id"u8) || key.SequenceEqual("external id"u8)) return Integer(json, ref pos, out ev.ExternalId);
                break;
        }
        return SkipValue(json, ref pos);
    }

    /// <summary>A string without escapes or control bytes at <paramref name="pos"/> ('"'); its content.</summary>
    private static bool PlainString(ReadOnlySpan<byte> json, scoped ref int pos, out ReadOnlySpan<byte> content)
    {
        content = default;
        int start = pos + 1;
        // Keys and most values are short: a scalar loop beats setting up a vector search.
        int end = Math.Min(json.Length, start + 24);
        for (int p = start; p < end; p++)
        {
            byte b = json[p];
            if (b == (byte)'"')
            {
                content = json[start..p];
                pos = p + 1;
                return true;
            }
            if (b == (byte)'\\' || b < 0x20) return false;
        }
        int i = json[end..].IndexOfAny(StringStops);
        if (i < 0 || json[end + i] != (byte)'"') return false;
        content = json[start..(end + i)];
        pos = end + i + 1;
        return true;
    }

    private static bool Utf8String(ReadOnlySpan<byte> json, scoped ref int pos, out ReadOnlySpan<byte> content)
    {
        content = default;
        return json[pos] == (byte)'"' && PlainString(json, ref pos, out content) && Utf8.IsValid(content);
    }

    private static bool Number(ReadOnlySpan<byte> json, scoped ref int pos, out ReadOnlySpan<byte> text)
    {
        int p = pos;
        while (p < json.Length && IsNumberByte(json[p])) p++;
        if (p == pos || p == json.Length)
        {
            text = default;
            return false;
        }
        text = json[pos..p];
        pos = p;
        byte first = text[0];
        return first == (byte)'-' || (uint)(first - '0') <= 9;
    }

    private static bool Integer(ReadOnlySpan<byte> json, scoped ref int pos, out long? value)
    {
        value = null;
        if (!Number(json, ref pos, out var text)) return false;
        if (!Utf8Parser.TryParse(text, out long v, out int consumed) || consumed != text.Length) return false;
        value = v;
        return true;
    }

    private static bool IdOrText(ReadOnlySpan<byte> json, scoped ref int pos, out long? value, out ReadOnlySpan<byte> text)
    {
        text = default;
        value = null;
        if (json[pos] != (byte)'"') return Integer(json, ref pos, out value);
        if (!Utf8String(json, ref pos, out var s)) return false;
        if (s.Length > 0 && Utf8Parser.TryParse(s, out long v, out int consumed) && consumed == s.Length) value = v;
        else text = s;
        return true;
    }

    private bool Compact(ReadOnlySpan<byte> json, scoped ref int pos, out ReadOnlySpan<byte> text)
    {
        text = default;
        byte first = json[pos];
        if (first == (byte)'"') return Utf8String(json, ref pos, out text);
        if (first != (byte)'[' && first != (byte)'{') return Number(json, ref pos, out text);
        int start = pos;
        if (!SkipValue(json, ref pos)) return false;
        var raw = json[start..pos];
        if (raw.IndexOfAny(Whitespace) < 0)
        {
            text = raw;
            return true;
        }
        // A new scratch array leaves the values already decoded into the old one valid (their spans keep it alive).
        if (_scratch.Length - _scratchPos < raw.Length)
        {
            _scratch = new byte[Math.Max(raw.Length, _scratch.Length * 2)];
            _scratchPos = 0;
        }
        var dst = _scratch.AsSpan(_scratchPos);
        int w = CompactJson.Write(raw, dst);
        _scratchPos += w;
        text = dst[..w];
        return true;
    }

    /// <summary>Jumps over any value; false at anything unusual (the validating parser then decides).</summary>
    private static bool SkipValue(ReadOnlySpan<byte> json, scoped ref int pos)
    {
        byte c = json[pos];
        if (c == (byte)'"') return SkipString(json, ref pos);
        if (c == (byte)'{' || c == (byte)'[') return SkipNested(json, ref pos);
        if (c == (byte)'-' || (uint)(c - '0') <= 9) return Number(json, ref pos, out _);
        return Literal(json, ref pos, "true"u8) || Literal(json, ref pos, "false"u8) || Literal(json, ref pos, "null"u8);
    }

    private static bool Literal(ReadOnlySpan<byte> json, scoped ref int pos, ReadOnlySpan<byte> word)
    {
        if (!json[pos..].StartsWith(word)) return false;
        pos += word.Length;
        return true;
    }

    private static bool SkipString(ReadOnlySpan<byte> json, scoped ref int pos)
    {
        int p = pos + 1;
        while (true)
        {
            int i = json[p..].IndexOfAny(StringStops);
            if (i < 0) return false;
            p += i;
            byte c = json[p];
            if (c == (byte)'"')
            {
                pos = p + 1;
                return true;
            }
            if (c != (byte)'\\' || p + 1 >= json.Length) return false; // control byte
            byte e = json[p + 1];
            if (e is not ((byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' or (byte)'u'))
                return false;
            p += 2;
        }
    }

    /// <summary>Skips an object or array by bracket depth; the bytes between strings and brackets may only be numbers, separators and whitespace.</summary>
    private static bool SkipNested(ReadOnlySpan<byte> json, scoped ref int pos)
    {
        int depth = 0;
        ulong arrays = 0; // bit d set: the bracket open at depth d is '['
        int p = pos;
        while (true)
        {
            int i = json[p..].IndexOfAny(NestedStops);
            if (i < 0) return false;
            var gap = json.Slice(p, i);
            if (gap.ContainsAnyInRange((byte)'A', (byte)'z')) return false; // literals, inf/nan: let the parser judge
            p += i;
            byte c = json[p];
            if (c == (byte)'"')
            {
                if (!SkipString(json, ref p)) return false;
                continue;
            }
            if (c == (byte)'{' || c == (byte)'[')
            {
                if (++depth > 63) return false;
                arrays = c == (byte)'[' ? arrays | (1UL << depth) : arrays & ~(1UL << depth);
                p++;
                continue;
            }
            if ((c == (byte)']') != ((arrays & (1UL << depth)) != 0)) return false; // mismatched bracket
            var before = json[..p].TrimEnd(" \t\r\n"u8);
            if (before[^1] == (byte)',') return false; // trailing comma
            p++;
            if (--depth == 0)
            {
                pos = p;
                return true;
            }
        }
    }

    private static bool IsNumberByte(byte b) => (uint)(b - '0') <= 9 || b is (byte)'.' or (byte)'-' or (byte)'+' or (byte)'e' or (byte)'E';

    private static bool SkipSpace(ReadOnlySpan<byte> json, scoped ref int pos)
    {
        if (pos < json.Length && json[pos] > (byte)' ') return true;
        int i = json[pos..].IndexOfAnyExcept(Whitespace);
        if (i < 0) return false;
        pos += i;
        return true;
    }

    private static byte[] StringStopBytes()
    {
        var list = new List<byte> { (byte)'"', (byte)'\\' };
        for (int b = 0; b < 0x20; b++) list.Add((byte)b);
        return [.. list];
    }
}
