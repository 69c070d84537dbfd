namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// Turns the decimal text of a microsecond value (<c>ts</c>, <c>dur</c>) into exact integer nanoseconds, without
/// passing through a double (docs/trace-format.md, 'Timestamps'): integer part × 1000 plus the first three fraction digits, rounded
/// half away from zero on the digits after them. Exponents (<c>1.5e3</c>) are applied exactly on the digit string.
/// </summary>
internal static class DecimalMicros
{
    /// <summary>
    /// Parses <paramref name="text"/> (JSON number syntax, optionally with a leading <c>+</c> and surrounding
    /// ASCII whitespace, as found in numeric strings) into nanoseconds.
    /// </summary>
    /// <returns>False when the text is not a decimal number or the result does not fit an Int64.</returns>
    public static bool TryParseNs(ReadOnlySpan<byte> text, out long ns) => TryParseScaled(text, 3, out ns, out _);

    /// <summary>Parses decimal text as an integer; <paramref name="integral"/> is false when a non-zero fraction was rounded away.</summary>
    /// <returns>False when the text is not a decimal number or the value does not fit an Int64.</returns>
    public static bool TryParseInteger(ReadOnlySpan<byte> text, out long value, out bool integral)
    {
        var ok = TryParseScaled(text, 0, out value, out var inexact);
        integral = !inexact;
        return ok;
    }

    private static bool TryParseScaled(ReadOnlySpan<byte> text, int scale, out long result, out bool inexact)
    {
        result = 0;
        inexact = false;
        text = Trim(text);
        int i = 0;
        bool negative = false;
        if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
        {
            negative = text[i] == (byte)'-';
            i++;
        }
        int intStart = i;
        while (i < text.Length && IsDigit(text[i])) i++;
        var intDigits = text[intStart..i];
        var fracDigits = ReadOnlySpan<byte>.Empty;
        if (i < text.Length && text[i] == (byte)'.')
        {
            int fracStart = ++i;
            while (i < text.Length && IsDigit(text[i])) i++;
            fracDigits = text[fracStart..i];
        }
        if (intDigits.Length + fracDigits.Length == 0) return false;
        long exponent = 0;
        if (i < text.Length && (text[i] == (byte)'e' || text[i] == (byte)'E'))
        {
            i++;
            bool expNegative = false;
            if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
            {
                expNegative = text[i] == (byte)'-';
                i++;
            }
            int expStart = i;
            while (i < text.Length && IsDigit(text[i]))
            {
                if (exponent < 1_000_000) exponent = exponent * 10 + (text[i] - (byte)'0');
                i++;
            }
            if (i == expStart) return false;
            if (expNegative) exponent = -exponent;
        }
        if (i != text.Length) return false;

        // Digit j of intDigits++fracDigits has power of ten p = intLen - 1 - j + exponent + scale.
        int n = intDigits.Length + fracDigits.Length;
        long firstPower = intDigits.Length - 1 + exponent + scale;
        ulong acc = 0;
        int roundDigit = 0;
        long lastPower = long.MinValue;
        for (int j = 0; j < n; j++)
        {
            long p = firstPower - j;
            int d = (j < intDigits.Length ? intDigits[j] : fracDigits[j - intDigits.Length]) - '0';
            if (p >= 0)
            {
                if (acc > (ulong.MaxValue - (ulong)d) / 10) return false;
                acc = acc * 10 + (ulong)d;
                lastPower = p;
            }
            else
            {
                if (p == -1) roundDigit = d;
                if (d != 0) inexact = true;
            }
        }
        if (lastPower > 0 && acc != 0)
        {
            for (long k = 0; k < lastPower; k++)
            {
                if (acc > ulong.MaxValue / 10) return false;
                acc *= 10;
            }
        }
        if (roundDigit >= 5) acc++;
        if (negative)
        {
            if (acc > (ulong)long.MaxValue + 1) return false;
            result = acc == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)acc;
        }
        else
        {
            if (acc > long.MaxValue) return false;
            result = (long)acc;
        }
        return true;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        int a = 0, b = s.Length;
        while (a < b && IsSpace(s[a])) a++;
        while (b > a && IsSpace(s[b - 1])) b--;
        return s[a..b];
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
