using LlmPipeline.Ingest.Writing;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class PerfettoTimeTests
{
    [Fact]
    public void Ns_of_absolute_epoch_ts_follows_perfettos_double_rounding()
    {
        // "1712195495519695.800" us: the nearest double is 1712195495519695.75 (spacing 0.25 at 1.7e15); times 1000
        // the product is rounded to a double again (spacing 256 at 1.7e18): 1712195495519695872, 72 ns past the text.
        Assert.Equal(1712195495519695872L, PerfettoTime.Ns(1712195495519695800L));
    }

    [Fact]
    public void Ns_is_exact_for_relative_timestamps()
    {
        Assert.Equal(0L, PerfettoTime.Ns(0));
        Assert.Equal(123456789L, PerfettoTime.Ns(123456789));     // "123456.789" us
        Assert.Equal(1_500_002_001L, PerfettoTime.Ns(1_500_002_001)); // "1500002.001" us
        Assert.Equal(-1500L, PerfettoTime.Ns(-1500));              // "-1.500" us
    }

    [Fact]
    public void Ns_of_sglang_sized_ts_stays_exact_at_three_decimals()
    {
        // sglang_Qwen3-8B_decode ts "4909914216204.635" us: double spacing ~0.001 us, so x * 1000 rounds back.
        Assert.Equal(4909914216204635L, PerfettoTime.Ns(4909914216204635L));
    }

    [Fact]
    public void Ns_shortcut_below_2_pow_50_agrees_with_the_double_text_path()
    {
        var random = new Random(7);
        for (var i = 0; i < 20000; i++)
        {
            var ns = (1L << 50) - 1 - (long)(random.NextDouble() * (1L << 49));
            if (i % 2 == 1) ns = -ns;
            Assert.Equal(ByHand(ns), PerfettoTime.Ns(ns));
        }
    }

    [Fact]
    public void Ns_above_2_pow_50_takes_the_double_text_path()
    {
        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var ns = (1L << 50) + (long)(random.NextDouble() * 4e18);
            Assert.Equal(ByHand(ns), PerfettoTime.Ns(ns));
        }
    }

    /// <summary>Perfetto's conversion written out: ns as us text with three decimals, nearest double, x 1000, llround.</summary>
    private static long ByHand(long ns)
    {
        var text = (ns / 1000m).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        return (long)Math.Round(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) * 1000.0, MidpointRounding.AwayFromZero);
    }

    [Fact]
    public void EndNs_adds_ts_and_dur_each_converted()
    {
        Assert.Equal(1712195495519695872L + 2500L, PerfettoTime.EndNs(1712195495519695800L, 2500));
    }
}
