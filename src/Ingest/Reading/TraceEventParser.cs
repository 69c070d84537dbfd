using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// The event parser: fills a <see cref="TraceEvent"/> from the bytes of one framed event with a
/// <see cref="Utf8JsonReader"/>. Strings stay spans into the event bytes; only escaped strings, compacted
/// arrays and UTF-8 repairs go to a reusable scratch buffer, so the fast path allocates nothing. Numbers other
/// than the fields it needs are skipped unconverted (integers beyond Int64 in <c>args</c> are fine: docs/messy-traces.md, B07).
/// </summary>
internal sealed class TraceEventParser(ProblemLog log)
{
    /// <summary>Result of <see cref="TryParse"/>.</summary>
    public enum Status
    {
        /// <summary>The event is filled.</summary>
        Ok,
        /// <summary>Valid JSON but no <c>ph</c> (e.g. <c>{}</c>).</summary>
        Empty,
        /// <summary>Not parseable; see the error offset and message.</summary>
        Failed,
    }

    private static readonly System.Buffers.SearchValues<byte> Whitespace = System.Buffers.SearchValues.Create(" \t\r\n"u8);

    private readonly List<(WarningKind Kind, int Rel, string Detail)> _pending = [];
    private byte[] _scratch = new byte[4096];
    private int _scratchPos;
    private bool _numericStringReported;

    /// <summary>True when the last parse met <c>null</c> for <c>ts</c> or <c>dur</c>.</summary>
    public bool TimeWasNull { get; private set; }

    /// <summary>
    /// Parses <paramref name="json"/> (one complete object) into <paramref name="ev"/>. Warnings found on the way
    /// are held until <see cref="FlushWarnings"/>, so a failed parse followed by a repaired one reports them once.
    /// </summary>
    /// <param name="json">The event's bytes, from <c>{</c> to <c>}</c>.</param>
    /// <param name="byteOffset">Absolute offset of the event's first byte.</param>
    /// <param name="ev">Receives the fields.</param>
    /// <param name="errorRel">On failure, the offending byte's offset inside <paramref name="json"/>.</param>
    /// <param name="error">On failure, what is wrong.</param>
    public Status TryParse(ReadOnlySpan<byte> json, long byteOffset, ref TraceEvent ev, out int errorRel, out string? error)
    {
        _pending.Clear();
        _scratchPos = 0;
        TimeWasNull = false;
        errorRel = 0;
        error = null;
        int need = json.Length * 4 + 64;
        if (_scratch.Length < need) _scratch = new byte[Math.Max(need, _scratch.Length * 2)];
        ev = default;
        ev.ByteOffset = byteOffset;
        var r = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 1024 });
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                error = "the event is not a JSON object";
                return Status.Failed;
            }
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var key = PropertyName(ref r);
                r.Read();
                ReadMember(key, ref r, ref ev, json);
            }
            if (r.Read())
            {
                errorRel = (int)r.TokenStartIndex;
                error = "unexpected data after the end of the event object";
                return Status.Failed;
            }
        }
        catch (JsonException ex)
        {
            errorRel = OffsetOf(json, ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
            error = Trim(ex.Message);
            return Status.Failed;
        }
        catch (InvalidOperationException ex)
        {
            errorRel = (int)Math.Min(r.TokenStartIndex, json.Length);
            error = ex.Message;
            return Status.Failed;
        }
        return ev.Ph == 0 ? Status.Empty : Status.Ok;
    }

    /// <summary>Reports the warnings of the last successful parse, at offsets relative to <paramref name="eventOffset"/>.</summary>
    /// <param name="eventOffset">Absolute offset of the event.</param>
    /// <param name="exactOffsets">False when the parsed bytes were a repaired copy (offsets then point at the event).</param>
    public void FlushWarnings(long eventOffset, bool exactOffsets)
    {
        foreach (var (kind, rel, detail) in _pending)
        {
            long at = exactOffsets ? eventOffset + rel : eventOffset;
            log.Report(kind, at, detail);
        }
        _pending.Clear();
    }

    private void ReadMember(ReadOnlySpan<byte> key, scoped ref Utf8JsonReader r, ref TraceEvent ev, ReadOnlySpan<byte> json)
    {
        switch (key.Length)
        {
            case 2:
                if (key.SequenceEqual("ph"u8))
                {
                    var ph = Text(ref r, "ph");
                    ev.Ph = ph.IsEmpty ? (byte)0 : ph[0];
                    return;
                }
                if (key.SequenceEqual("ts"u8))
                {
                    ev.HasTs = Time(ref r, "ts", out ev.TsNs);
                    return;
                }
                if (key.SequenceEqual("id"u8))
                {
                    ev.Id = Integer(ref r, "id", out _, hex: true);
                    return;
                }
                break;
            case 3:
                if (key.SequenceEqual("cat"u8))
                {
                    ev.Cat = Text(ref r, "cat");
                    ev.Category = CategoryParser.Parse(ev.Cat);
                    return;
                }
                if (key.SequenceEqual("dur"u8))
                {
                    ev.HasDur = Time(ref r, "dur", out ev.DurNs);
                    return;
                }
                if (key.SequenceEqual("pid"u8))
                {
                    ev.Pid = Integer(ref r, "pid", out ev.PidText, hex: false);
                    return;
                }
                if (key.SequenceEqual("tid"u8))
                {
                    ev.Tid = Integer(ref r, "tid", out ev.TidText, hex: false);
                    return;
                }
                break;
            case 4:
                if (key.SequenceEqual("name"u8))
                {
                    ev.Name = Text(ref r, "name");
                    return;
                }
                if (key.SequenceEqual("args"u8))
                {
                    ReadArgs(ref r, ref ev, json);
                    return;
                }
                break;
        }
        r.Skip();
    }

    private void ReadArgs(scoped ref Utf8JsonReader r, ref TraceEvent ev, ReadOnlySpan<byte> json)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            r.Skip();
            return;
        }
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var key = PropertyName(ref r);
            r.Read();
            switch (key.Length)
            {
                case 4:
                    if (key.SequenceEqual("grid"u8))
                    {
                        ev.Grid = Compact(ref r, json);
                        continue;
                    }
                    if (key.SequenceEqual("name"u8))
                    {
                        ev.ArgName = Text(ref r, "args.name");
                        continue;
                    }
                    break;
                case 5:
                    if (key.SequenceEqual("block"u8))
                    {
                        ev.Block = Compact(ref r, json);
                        continue;
                    }
                    if (key.SequenceEqual("bytes"u8))
                    {
                        ev.Bytes = Integer(ref r, "args.bytes", out _, hex: false);
                        continue;
                    }
                    break;
                case 6:
                    if (key.SequenceEqual("device"u8))
                    {
                        ev.Device = Integer(ref r, "args.device", out _, hex: false);
                        continue;
                    }
                    if (key.SequenceEqual("stream"u8))
                    {
                        ev.Stream = Integer(ref r, "args.stream", out _, hex: true);
                        continue;
                    }
                    if (key.SequenceEqual("labels"u8))
                    {
                        ev.ArgLabels = Text(ref r, "args.labels");
                        continue;
                    }
                    if (key.SequenceEqual("kernel"u8))
                    {
                        ev.KernelArg = Text(ref r, "args.kernel");
                        continue;
                    }
                    break;
                case 10:
                    if (key.SequenceEqual("Input Dims"u8) || key.SequenceEqual("Input dims"u8))
                    {
                        ev.InputDims = Compact(ref r, json);
                        continue;
                    }
                    if (key.SequenceEqual("Input type"u8))
                    {
                        ev.InputTypes = Compact(ref r, json);
                        continue;
                    }
                    if (key.SequenceEqual("sycl queue"u8))
                    {
                        ev.SyclQueue = Integer(ref r, "args.sycl queue", out _, hex: true);
                        continue;
                    }
                    break;
                case 11:
                    if (key.SequenceEqual("correlation"u8))
                    {
                        ev.Correlation = Integer(ref r, "args.correlation", out _, hex: false);
                        continue;
                    }
                    if (key.SequenceEqual("External id"u8) || key.SequenceEqual("external id"u8))
                    {
                        ev.ExternalId = Integer(ref r, "args.External id", out _, hex: false);
                        continue;
                    }
                    break;
            }
            r.Skip();
        }
    }

    private ReadOnlySpan<byte> PropertyName(scoped ref Utf8JsonReader r)
    {
        if (!r.ValueIsEscaped) return r.ValueSpan;
        int n = r.CopyString(_scratch.AsSpan(_scratchPos));
        var s = _scratch.AsSpan(_scratchPos, n);
        _scratchPos += n;
        return s;
    }

    /// <summary>A string value (unescaped, UTF-8 checked); a number's text; empty for anything else.</summary>
    private ReadOnlySpan<byte> Text(scoped ref Utf8JsonReader r, string field)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.String:
                return Checked(StringValue(ref r), (int)r.TokenStartIndex, field);
            case JsonTokenType.Number:
                return r.ValueSpan;
            default:
                r.Skip();
                return default;
        }
    }

    private ReadOnlySpan<byte> StringValue(scoped ref Utf8JsonReader r)
    {
        if (!r.ValueIsEscaped) return r.ValueSpan;
        int n = r.CopyString(_scratch.AsSpan(_scratchPos));
        var s = _scratch.AsSpan(_scratchPos, n);
        _scratchPos += n;
        return s;
    }

    private ReadOnlySpan<byte> Checked(ReadOnlySpan<byte> s, int rel, string field)
    {
        if (Utf8.IsValid(s)) return s;
        var text = Encoding.UTF8.GetString(s);
        int n = Encoding.UTF8.GetBytes(text, _scratch.AsSpan(_scratchPos));
        var fixedText = _scratch.AsSpan(_scratchPos, n);
        _scratchPos += n;
        _pending.Add((WarningCatalog.InvalidUtf8, rel, $"{field} holds bytes that are not UTF-8; replaced with U+FFFD"));
        return fixedText;
    }

    private bool Time(scoped ref Utf8JsonReader r, string field, out long ns)
    {
        ns = 0;
        int rel = (int)r.TokenStartIndex;
        switch (r.TokenType)
        {
            case JsonTokenType.Number:
                if (DecimalMicros.TryParseNs(r.ValueSpan, out ns)) return true;
                _pending.Add((WarningCatalog.NumberOutOfRange, rel, $"{field} {Encoding.UTF8.GetString(r.ValueSpan)} µs does not fit 64-bit nanoseconds; left out"));
                return false;
            case JsonTokenType.String:
                var s = StringValue(ref r);
                if (DecimalMicros.TryParseNs(s, out ns))
                {
                    if (!_numericStringReported)
                    {
                        _numericStringReported = true;
                        _pending.Add((WarningCatalog.NumericString, rel, $"{field} given as a string (\"{Encoding.UTF8.GetString(s)}\"); read as a number (reported once per file)"));
                    }
                    return true;
                }
                _pending.Add((WarningCatalog.InvalidTime, rel, $"{field} \"{Encoding.UTF8.GetString(s)}\" is not a number; left out"));
                return false;
            case JsonTokenType.Null:
                TimeWasNull = true;
                return false;
            default:
                r.Skip();
                _pending.Add((WarningCatalog.InvalidTime, rel, $"{field} is not a number; left out"));
                return false;
        }
    }

    private long? Integer(scoped ref Utf8JsonReader r, string field, out ReadOnlySpan<byte> text, bool hex)
    {
        text = default;
        int rel = (int)r.TokenStartIndex;
        switch (r.TokenType)
        {
            case JsonTokenType.Number:
                if (r.TryGetInt64(out long v)) return v;
                if (DecimalMicros.TryParseInteger(r.ValueSpan, out v, out bool integral) && integral) return v;
                _pending.Add((WarningCatalog.NumberOutOfRange, rel, $"{field} {Encoding.UTF8.GetString(r.ValueSpan)} is not a 64-bit integer; left out"));
                return null;
            case JsonTokenType.String:
                var s = StringValue(ref r);
                if (s.Length > 0 && Utf8Parser.TryParse(s, out long parsed, out int consumed) && consumed == s.Length)
                {
                    if (hex && !_numericStringReported)
                    {
                        _numericStringReported = true;
                        _pending.Add((WarningCatalog.NumericString, rel, $"{field} given as a string; read as a number (reported once per file)"));
                    }
                    return parsed;
                }
                if (hex && s.Length > 2 && s[0] == (byte)'0' && (s[1] | 0x20) == (byte)'x'
                    && Utf8Parser.TryParse(s[2..], out ulong h, out consumed, 'X') && consumed == s.Length - 2 && h <= long.MaxValue)
                    return (long)h;
                text = Checked(s, rel, field);
                return null;
            default:
                r.Skip();
                return null;
        }
    }

    /// <summary>An array or object as compact JSON text (<c>[5556,1,1]</c>); a string as its text; a number as written.</summary>
    private ReadOnlySpan<byte> Compact(scoped ref Utf8JsonReader r, ReadOnlySpan<byte> json)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.StartArray:
            case JsonTokenType.StartObject:
                int start = (int)r.TokenStartIndex;
                r.Skip();
                var raw = json[start..(int)r.BytesConsumed];
                if (raw.IndexOfAny(Whitespace) < 0) return raw;
                var dst = _scratch.AsSpan(_scratchPos);
                int w = CompactJson.Write(raw, dst);
                _scratchPos += w;
                return dst[..w];
            case JsonTokenType.String:
                return Checked(StringValue(ref r), (int)r.TokenStartIndex, "args");
            case JsonTokenType.Number:
                return r.ValueSpan;
            default:
                return default;
        }
    }

    private static int OffsetOf(ReadOnlySpan<byte> json, long line, long column)
    {
        int pos = 0;
        for (long l = 0; l < line; l++)
        {
            int i = json[pos..].IndexOf((byte)'\n');
            if (i < 0) break;
            pos += i + 1;
        }
        return (int)Math.Min(pos + column, json.Length);
    }

    private static string Trim(string message)
    {
        int i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return i > 0 ? message[..i].TrimEnd() : message;
    }
}
