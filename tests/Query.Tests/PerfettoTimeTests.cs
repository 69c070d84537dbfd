using LlmPipeline.Ingest.Writing;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>
/// <see cref="PerfettoTime.Ns"/> against values worked out by hand from Perfetto's JSON import: the file's <c>ts</c>
/// text (µs with three decimals) parsed to the nearest double x, the product x * 1000 rounded to a double, then
/// <c>llround</c> (half away from zero). The expected values are literals, never recomputed by the test.
/// </summary>
public sealed class PerfettoTimeTests
{
    [Fact]
    public void Ns_of_absolute_epoch_ts_follows_perfettos_double_rounding()
    {
        // "1712195495519695.800" us: the nearest double is 1712195495519695.75 (spacing 0.25 at 1.7e15); times 1000
        // the product is rounded to a double again (spacing 256 at 1.7e18): 1712195495519695872, 72 ns past the text.
        Assert.Equal(1712195495519695872L, PerfettoTime.Ns(1712195495519695800L));
    }

    [Theory]
    // 2^50 - 1 and 2^50 (13 days): x * 1000 lands within 1/4 ns of the text, so llround gives the exact value.
    [InlineData(1125899906842623L, 1125899906842623L)]
    [InlineData(1125899906842624L, 1125899906842624L)]
    // "4418486501513.402": x = 4418486501513.40234375; x * 1000 = 4418486501513402.34375, rounded to the double grid
    // of 0.5 (between 2^51 and 2^52) is ...402.5, and llround takes it away from zero: 1 ns past the text, where
    // round-half-to-even (Math.Round's default) would stay at ...402.
    [InlineData(4418486501513402L, 4418486501513403L)]
    [InlineData(-4418486501513402L, -4418486501513403L)]
    // "4469150528422.526": x = 4469150528422.5263671875; x * 1000 rounds to ...526.5; llround gives ...527.
    [InlineData(4469150528422526L, 4469150528422527L)]
    // "4909914216204.635" (sglang_Qwen3-8B_decode): x = 4909914216204.634765625; x * 1000 = ...634.765625 rounds to
    // the integer grid (above 2^52) at ...635: exact again.
    [InlineData(4909914216204635L, 4909914216204635L)]
    // "1712195495519695.999": x = 1712195495519696.0; x * 1000 = 1712195495519696000 lies exactly halfway between the
    // doubles ...695872 and ...696128 (spacing 256), and the multiplication's own rounding (to even) picks ...695872:
    // 127 ns before the text.
    [InlineData(1712195495519695999L, 1712195495519695872L)]
    [InlineData(-1712195495519695800L, -1712195495519695872L)]
    // "9000000000000000.123": x = 9000000000000000.0 (spacing 1 at 9e15); x * 1000 = 9e18 exactly: 123 ns before.
    [InlineData(9000000000000000123L, 9000000000000000000L)]
    // "-9223372036854775.808" (long.MinValue, which has no positive long): x = -9223372036854776 (spacing 2 at 9.2e15);
    // x * 1000 = -9223372036854776000 rounds to the double -2^63 (192 away; spacing 1024 below 2^63, 2048 above).
    [InlineData(long.MinValue, long.MinValue)]
    public void Ns_above_2_pow_50_is_perfettos_value_worked_out_by_hand(long ns, long perfettoNs)
    {
        Assert.Equal(perfettoNs, PerfettoTime.Ns(ns));
    }

    [Fact]
    public void Ns_above_2_pow_50_equals_the_parse_of_the_files_decimal_text()
    {
        // The definition itself as the oracle: the text "[-]whole.fff" built with decimal arithmetic and a string,
        // parsed to the nearest double, times 1000, rounded half away from zero.
        static long FromString(long ns)
        {
            var magnitude = Math.Abs((decimal)ns);
            var whole = decimal.Truncate(magnitude / 1000m);
            var text = $"{(ns < 0 ? "-" : "")}{whole.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{(magnitude - whole * 1000m).ToString("000", System.Globalization.CultureInfo.InvariantCulture)}";
            var us = double.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            return (long)Math.Round(us * 1000.0, MidpointRounding.AwayFromZero);
        }
        var random = new Random(23);
        for (var i = 0; i < 20000; i++)
        {
            var ns = (1L << 50) + random.NextInt64(long.MaxValue - (1L << 50) - 1000);
            if (i % 2 == 1) ns = -ns;
            Assert.Equal(FromString(ns), PerfettoTime.Ns(ns));
        }
    }

    [Fact]
    public void Ns_is_exact_for_relative_timestamps()
    {
        Assert.Equal(0L, PerfettoTime.Ns(0));
        Assert.Equal(123456789L, PerfettoTime.Ns(123456789));     // "123456.789" us
        Assert.Equal(1_500_002_001L, PerfettoTime.Ns(1_500_002_001)); // "1500002.001" us
        Assert.Equal(-1500L, PerfettoTime.Ns(-1500));              // "-1.500" us
        Assert.Equal(-1125899906842623L, PerfettoTime.Ns(-1125899906842623L)); // -(2^50 - 1)
    }

    [Fact]
    public void Ns_is_the_identity_below_2_pow_50()
    {
        // Below 2^50 the parse error (|x| * 2^-53 us) and the product's rounding (at most 1/4 ns) stay under 1/2 ns.
        var random = new Random(7);
        for (var i = 0; i < 20000; i++)
        {
            var ns = (1L << 50) - 1 - (long)(random.NextDouble() * (1L << 49));
            if (i % 2 == 1) ns = -ns;
            Assert.Equal(ns, PerfettoTime.Ns(ns));
        }
    }

    [Fact]
    public void Ns_above_2_pow_50_stays_within_the_double_error_bound_and_keeps_the_order()
    {
        // |Ns(t) - t| <= t * 2^-52 + 1/2: half a spacing of x (times 1000), half a spacing of the product, and llround.
        var random = new Random(11);
        var values = Enumerable.Range(0, 2000).Select(_ => (1L << 50) + (long)(random.NextDouble() * 4e18)).Order().ToList();
        var previous = long.MinValue;
        foreach (var ns in values)
        {
            var perfetto = PerfettoTime.Ns(ns);
            var bound = ns / 4503599627370496.0 + 0.5; // 2^52
            Assert.True(Math.Abs(perfetto - ns) <= bound, $"Ns({ns}) = {perfetto}, more than {bound:0.0} ns off");
            Assert.True(perfetto >= previous, $"Ns({ns}) = {perfetto} is below the previous value {previous}");
            previous = perfetto;
        }
    }

    [Fact]
    public void EndNs_adds_ts_and_dur_each_converted()
    {
        Assert.Equal(1712195495519695872L + 2500L, PerfettoTime.EndNs(1712195495519695800L, 2500));
    }
}
