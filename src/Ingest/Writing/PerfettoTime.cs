using System.Globalization;

namespace LlmPipeline.Ingest.Writing;

/// <summary>
/// The nanoseconds Perfetto itself gives a trace file's timestamp. Perfetto's JSON importer reads <c>ts</c>/<c>dur</c>
/// (microseconds) as a double and converts with <c>llround(x * 1000)</c> (<c>json_trace_tokenizer.cc</c>
/// <c>CoerceToTs</c> in google/perfetto; docs/trace-format.md, 'Perfetto's timestamps'). For large absolute timestamps (epoch µs with a
/// fraction, ~1.7e15) a double cannot hold every nanosecond, so Perfetto's ns differ from the exact ns by up to a few
/// hundred; Perfetto UI deep links (<c>visStart</c>/<c>visEnd</c>) must use Perfetto's values.
/// Small (relative) timestamps are exact: <c>Ns(x) == x</c>.
/// </summary>
public static class PerfettoTime
{
    private const long ExactBelow = 1L << 50;

    /// <summary>
    /// Perfetto's nanoseconds for a file value of exactly <paramref name="ns"/> nanoseconds: the decimal text
    /// <c>ns / 1000</c> (µs, three decimals), parsed to the nearest double, times 1000, rounded half away from zero
    /// (as <c>llround</c>). Example: 1712195495519695800 ns (<c>"1712195495519695.800"</c>) gives 1712195495519695872.
    /// An event's end in Perfetto is <c>Ns(ts_ns) + Ns(dur_ns)</c> (it converts ts and dur separately, then adds).
    /// </summary>
    /// <param name="ns">Exact nanoseconds as stored in <c>kernels.ts_ns</c> / <c>dur_ns</c> (may be negative).</param>
    /// <returns>The nanoseconds Perfetto computes for the same file text.</returns>
    public static long Ns(long ns)
    {
        // Below 2^50 ns (13 days) the result is ns itself: the parse error (|x| * 2^-53) plus the rounding of the
        // product (at most 1/4 ns) stay under 1/2 ns. This skips the text round trip for relative Kineto ts.
        return ns > -ExactBelow && ns < ExactBelow ? ns : FromText(ns);
    }

    /// <summary>
    /// The slow path of <see cref="Ns"/>: the text written on the stack (no string, no decimal: real traces carry
    /// epoch timestamps, so every kernel of such a trace comes here) and parsed as Perfetto parses it.
    /// </summary>
    private static long FromText(long ns)
    {
        var negative = ns < 0;
        var magnitude = negative ? (ulong)(-(ns + 1)) + 1 : (ulong)ns; // long.MinValue has no positive long
        Span<char> text = stackalloc char[32];
        var at = 0;
        if (negative) text[at++] = '-';
        (magnitude / 1000).TryFormat(text[at..], out var digits, default, CultureInfo.InvariantCulture);
        at += digits;
        var fraction = (int)(magnitude % 1000);
        text[at++] = '.';
        text[at++] = (char)('0' + fraction / 100);
        text[at++] = (char)('0' + fraction / 10 % 10);
        text[at++] = (char)('0' + fraction % 10);
        var us = double.Parse(text[..at], NumberStyles.Float, CultureInfo.InvariantCulture);
        return (long)Math.Round(us * 1000.0, MidpointRounding.AwayFromZero);
    }

    /// <summary>Perfetto's end of an event: <c>Ns(tsNs) + Ns(durNs)</c>.</summary>
    /// <param name="tsNs">The event's exact start, ns.</param>
    /// <param name="durNs">The event's exact duration, ns.</param>
    public static long EndNs(long tsNs, long durNs) => Ns(tsNs) + Ns(durNs);
}
