using System.Xml.Linq;
using LlmPipeline.Query.Report;
using Xunit;

namespace LlmPipeline.Query.Tests.Toolbox;

public sealed class SvgBarChartTests
{
    private static readonly Dictionary<string, string> Colors = new() { ["gemm"] = "#f28e2b", ["attention"] = "#4e79a7" };

    [Theory]
    [InlineData(7.3, 5, 2.0)]
    [InlineData(10.44, 5, 5.0)]
    [InlineData(0.6, 5, 0.2)]
    [InlineData(100, 5, 20)]
    [InlineData(0, 5, 1)]
    public void NiceStep_is_1_2_or_5_times_a_power_of_ten(double max, int ticks, double expected) =>
        Assert.Equal(expected, SvgBarChart.NiceStep(max, ticks), 12);

    [Theory]
    [InlineData(10.4412, "10.44")]
    [InlineData(0.256, "0.256")]
    [InlineData(1950.4, "1,950")]
    [InlineData(2.5, "2.5")]
    [InlineData(0, "0")]
    public void Format_keeps_four_significant_digits(double value, string expected) =>
        Assert.Equal(expected, SvgBarChart.Format(value));

    [Fact]
    public void Render_stacks_segments_with_values_legend_and_unit()
    {
        var svg = SvgBarChart.Render(new BarChartSpec("Kernel time", "ms",
            [new ChartBar("0", [new ChartSegment("attention", 1.5), new ChartSegment("gemm", 2.5)]),
             new ChartBar("1", [new ChartSegment("gemm", 3.0), new ChartSegment("attention", 0)], "cold")],
            Colors, Id: "c1"));
        var doc = XElement.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var segs = doc.Descendants(ns + "rect").Where(e => (string?)e.Attribute("class") == "seg").ToList();
        Assert.Equal(3, segs.Count); // the zero segment is not drawn
        Assert.Equal(["1.5", "2.5", "3"], segs.Select(s => (string)s.Attribute("data-value")!));
        Assert.Equal("#4e79a7", (string?)segs[0].Attribute("fill"));
        // Axis 0..4 (step 1): bar 0's segments are 1.5/4 and 2.5/4 of the 220 px plot.
        Assert.Equal(82.5, double.Parse((string)segs[0].Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture), 2);
        Assert.Equal(137.5, double.Parse((string)segs[1].Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture), 2);
        var texts = doc.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("ms", texts);
        Assert.Contains("attention", texts);
        Assert.Contains("gemm", texts);
        Assert.Contains("cold", texts);
        Assert.Contains("4", texts); // top tick
        Assert.Equal("c1", (string?)doc.Attribute("id"));
        Assert.Contains("0 · gemm: 2.5 ms (bar total 4 ms)", svg);
    }

    [Fact]
    public void Render_without_bars_says_no_data()
    {
        var svg = SvgBarChart.Render(new BarChartSpec("Empty", "ms", [], Colors, Horizontal: true));
        Assert.Contains(">no data<", svg);
        XElement.Parse(svg);
    }
}
