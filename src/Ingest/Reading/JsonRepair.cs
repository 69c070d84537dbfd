using System.Buffers;
using System.Text;
using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// The slow path of the reader: copies one JSON value (an event or a top-level member) with the fixes real
/// producers need (docs/messy-traces.md, B02, B04, B05, B06, kineto PR #1213), counting each kind of fix and the
/// offset of its first occurrence. Used only after the normal parse of that value failed.
/// </summary>
internal sealed class JsonRepair
{
    /// <summary>The kinds of fix; <see cref="Counts"/>, <see cref="FirstOffsets"/> and <see cref="Phrases"/> follow this order.</summary>
    public static readonly WarningKind[] Kinds =
    [
        WarningCatalog.ControlCharacter,
        WarningCatalog.InvalidEscape,
        WarningCatalog.InvalidUtf8,
        WarningCatalog.TrailingComma,
        WarningCatalog.NonStandardNumber,
        WarningCatalog.MissingValue,
    ];

    /// <summary>What each kind of fix did, as a plural phrase for the warning's detail ("3 trailing comma(s) repaired ...").</summary>
    public static readonly string[] Phrases =
    [
        "raw control character(s) (replaced by a space)",
        "invalid backslash escape(s) (kept as literal backslashes)",
        "invalid UTF-8 sequence(s) (replaced by U+FFFD)",
        "trailing comma(s)",
        "inf/nan token(s) (read as null)",
        "missing value(s) (read as null)",
    ];

    private const int Control = 0, Escape = 1, Utf8 = 2, Comma = 3, NonStandard = 4, Missing = 5;
    private static readonly SearchValues<byte> Plain = SearchValues.Create(PlainBytes());

    private byte[] _out = new byte[4096];
    private int _length;

    /// <summary>Fixes of each kind made by the last <see cref="Repair"/>.</summary>
    public int[] Counts { get; } = new int[Kinds.Length];

    /// <summary>Offset (in the input) of the first fix of each kind.</summary>
    public int[] FirstOffsets { get; } = new int[Kinds.Length];

    /// <summary>The repaired copy; valid until the next <see cref="Repair"/>.</summary>
    public ReadOnlySpan<byte> Output => _out.AsSpan(0, _length);

    /// <summary>True when the last repair fixed a non-standard number (inf/nan).</summary>
    public bool FixedNonStandardNumber => Counts[NonStandard] > 0;

    /// <summary>Copies <paramref name="src"/> into <see cref="Output"/> with fixes.</summary>
    /// <returns>True when at least one fix was made.</returns>
    public bool Repair(ReadOnlySpan<byte> src)
    {
        Array.Clear(Counts);
        if (_out.Length < src.Length * 3 + 16) _out = new byte[Math.Max(src.Length * 3 + 16, _out.Length * 2)];
        var o = _out;
        int w = 0, i = 0, n = src.Length;
        while (i < n)
        {
            byte b = src[i];
            if (b == (byte)'"')
            {
                o[w++] = b;
                i++;
                while (i < n)
                {
                    // Copy the run of ordinary string bytes in one go.
                    int run = src[i..].IndexOfAnyExcept(Plain);
                    if (run < 0) run = n - i;
                    src.Slice(i, run).CopyTo(o.AsSpan(w));
                    w += run;
                    i += run;
                    if (i >= n) break;
                    byte c = src[i];
                    if (c == (byte)'"')
                    {
                        o[w++] = c;
                        i++;
                        break;
                    }
                    if (c == (byte)'\\')
                    {
                        int valid = ValidEscapeLength(src, i);
                        if (valid > 0)
                        {
                            src.Slice(i, valid).CopyTo(o.AsSpan(w));
                            w += valid;
                            i += valid;
                        }
                        else
                        {
                            Note(Escape, i);
                            o[w++] = (byte)'\\';
                            o[w++] = (byte)'\\';
                            i++;
                        }
                    }
                    else if (c < 0x20)
                    {
                        Note(Control, i);
                        o[w++] = (byte)' ';
                        i++;
                    }
                    else
                    {
                        var status = Rune.DecodeFromUtf8(src[i..], out _, out int consumed);
                        if (status == OperationStatus.Done)
                        {
                            src.Slice(i, consumed).CopyTo(o.AsSpan(w));
                            w += consumed;
                        }
                        else
                        {
                            Note(Utf8, i);
                            o[w++] = 0xEF;
                            o[w++] = 0xBF;
                            o[w++] = 0xBD;
                        }
                        i += Math.Max(consumed, 1);
                    }
                }
                continue;
            }
            if (b == (byte)',')
            {
                int j = SkipSpace(src, i + 1);
                if (j < n && (src[j] == (byte)'}' || src[j] == (byte)']'))
                {
                    Note(Comma, i);
                    i++;
                    continue;
                }
                o[w++] = b;
                i++;
                continue;
            }
            if (b == (byte)':')
            {
                o[w++] = b;
                int j = SkipSpace(src, i + 1);
                if (j >= n || src[j] == (byte)',' || src[j] == (byte)'}')
                {
                    Note(Missing, i);
                    "null"u8.CopyTo(o.AsSpan(w));
                    w += 4;
                }
                i++;
                continue;
            }
            if (IsLetter(b) || ((b == (byte)'-' || b == (byte)'+') && i + 1 < n && IsLetter(src[i + 1])))
            {
                int j = i + 1;
                while (j < n && (IsLetter(src[j]) || (uint)(src[j] - '0') <= 9 || src[j] is (byte)'_' or (byte)'.')) j++;
                var token = src[i..j];
                if (IsNonStandardNumber(token))
                {
                    Note(NonStandard, i);
                    "null"u8.CopyTo(o.AsSpan(w));
                    w += 4;
                }
                else
                {
                    token.CopyTo(o.AsSpan(w));
                    w += token.Length;
                }
                i = j;
                continue;
            }
            o[w++] = b;
            i++;
        }
        _length = w;
        foreach (var c in Counts)
            if (c > 0) return true;
        return false;
    }

    private void Note(int kind, int offset)
    {
        if (Counts[kind]++ == 0) FirstOffsets[kind] = offset;
    }

    private static int ValidEscapeLength(ReadOnlySpan<byte> s, int i)
    {
        if (i + 1 >= s.Length) return 0;
        switch (s[i + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                return 2;
            case (byte)'u':
                if (i + 6 > s.Length) return 0;
                for (int k = i + 2; k < i + 6; k++)
                    if (!char.IsAsciiHexDigit((char)s[k])) return 0;
                return 6;
            default:
                return 0;
        }
    }

    private static bool IsNonStandardNumber(ReadOnlySpan<byte> token)
    {
        if (token[0] is (byte)'-' or (byte)'+') token = token[1..];
        return Ascii.EqualsIgnoreCase(token, "inf"u8) || Ascii.EqualsIgnoreCase(token, "infinity"u8) || Ascii.EqualsIgnoreCase(token, "nan"u8);
    }

    private static int SkipSpace(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i;
    }

    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static byte[] PlainBytes()
    {
        var list = new List<byte>();
        for (int b = 0x20; b < 0x80; b++)
            if (b != '"' && b != '\\') list.Add((byte)b);
        return [.. list];
    }
}
