using System.Globalization;
using System.Net;
using System.Text;

namespace LlmPipeline.Query.Report;

/// <summary>
/// Draws a (stacked) bar chart as an inline SVG element: title, legend of the series present, value axis with round
/// ticks (1, 2 or 5 × 10^k) and its unit, one label per bar, and a tooltip (<c>title</c>) on every segment. Every
/// segment is a <c>rect</c> carrying <c>data-bar</c>, <c>data-series</c> and <c>data-value</c> (the value in round-trip
/// form) so that tests and scripts can read the numbers drawn.
/// </summary>
public static class SvgBarChart
{
    private const int Font = 12;

    /// <summary>Renders <paramref name="spec"/>; an empty bar list gives a small chart that says "no data".</summary>
    public static string Render(BarChartSpec spec)
    {
        var max = spec.Bars.Count == 0 ? 0 : spec.Bars.Max(b => b.Total);
        var step = NiceStep(max, 5);
        var axisMax = max <= 0 ? 1 : Math.Ceiling(max / step - 1e-9) * step;
        var series = spec.Bars.SelectMany(b => b.Segments).Where(s => s.Value > 0).Select(s => s.Series).Distinct().ToList();
        return spec.Horizontal ? Horizontal(spec, series, axisMax, step) : Vertical(spec, series, axisMax, step);
    }

    /// <summary>
    /// The tick step for an axis from 0 to <paramref name="max"/>: the smallest of 1, 2, 5 × 10^k that gives at most
    /// <paramref name="targetTicks"/> intervals (1 when <paramref name="max"/> ≤ 0).
    /// </summary>
    public static double NiceStep(double max, int targetTicks)
    {
        if (!(max > 0)) return 1;
        var raw = max / targetTicks;
        var pow = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var m in new[] { 1.0, 2.0, 5.0, 10.0 })
            if (m * pow >= raw * (1 - 1e-12)) return m * pow;
        return 10 * pow;
    }

    /// <summary>A value for display: at most 4 significant digits below 1000, no exponent, invariant culture.</summary>
    public static string Format(double v)
    {
        if (v == 0) return "0";
        var a = Math.Abs(v);
        var decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : a >= 0.01 ? 4 : 6;
        var text = v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return decimals > 0 ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    private static string Vertical(BarChartSpec spec, List<string> series, double axisMax, double step)
    {
        var n = Math.Max(spec.Bars.Count, 1);
        var barW = Math.Clamp(600 / n, 10, 48);
        var gap = Math.Max(2, barW / 5);
        var longest = spec.Bars.Count == 0 ? 1 : spec.Bars.Max(b => b.Label.Length);
        var rotate = longest * 7 > barW + gap;
        var left = 64;
        var top = 44 + LegendHeight(series, 200 + n * (barW + gap));
        var plotH = 220;
        var labelH = rotate ? Math.Min(longest, 24) * 6 + 10 : 20;
        var width = Math.Max(360, left + n * (barW + gap) + 20);
        var height = top + plotH + labelH + (spec.CategoryAxisTitle is null ? 8 : 24);
        var sb = Open(spec, width, height);
        Legend(sb, spec, series, left, 32, width - left);
        // value axis
        for (var t = 0.0; t <= axisMax + step / 2; t += step)
        {
            var y = top + plotH - t / axisMax * plotH;
            sb.Append(Inv($"<line x1=\"{left}\" x2=\"{width - 10}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#e3e3e3\"/>"));
            sb.Append(Inv($"<text x=\"{left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\" class=\"tick\">{Format(t)}</text>"));
        }
        sb.Append(Inv($"<text transform=\"translate(14,{top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\" class=\"axis\">{Esc(spec.Unit)}</text>"));
        sb.Append(Inv($"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + plotH}\" stroke=\"#888\"/>"));
        for (var i = 0; i < spec.Bars.Count; i++)
        {
            var bar = spec.Bars[i];
            var x = left + gap / 2 + i * (barW + gap);
            var y = (double)(top + plotH);
            sb.Append(Inv($"<g class=\"bar\" data-bar=\"{Esc(bar.Label)}\" data-total=\"{bar.Total.ToString("R", CultureInfo.InvariantCulture)}\">"));
            foreach (var seg in bar.Segments.Where(s => s.Value > 0))
            {
                var h = seg.Value / axisMax * plotH;
                y -= h;
                Segment(sb, spec, bar, seg, x, y, barW, h);
            }
            if (bar.Marker is not null)
                sb.Append(Inv($"<text x=\"{x + barW / 2.0:F1}\" y=\"{y - 4:F1}\" text-anchor=\"middle\" class=\"marker\">{Esc(bar.Marker)}</text>"));
            var lx = x + barW / 2.0;
            var ly = top + plotH + 14;
            sb.Append(rotate
                ? Inv($"<text transform=\"translate({lx:F1},{ly - 4}) rotate(-45)\" text-anchor=\"end\" class=\"label\">{Esc(Truncate(bar.Label, 24))}</text>")
                : Inv($"<text x=\"{lx:F1}\" y=\"{ly}\" text-anchor=\"middle\" class=\"label\">{Esc(bar.Label)}</text>"));
            sb.Append("</g>");
        }
        if (spec.CategoryAxisTitle is not null)
            sb.Append(Inv($"<text x=\"{left + (width - left) / 2}\" y=\"{height - 6}\" text-anchor=\"middle\" class=\"axis\">{Esc(spec.CategoryAxisTitle)}</text>"));
        return sb.Append("</svg>").ToString();
    }

    private static string Horizontal(BarChartSpec spec, List<string> series, double axisMax, double step)
    {
        var longest = spec.Bars.Count == 0 ? 8 : Math.Min(spec.Bars.Max(b => b.Label.Length), 40);
        var left = 16 + longest * 7;
        var plotW = 520;
        var width = left + plotW + 40;
        var barH = 18;
        var gap = 8;
        var top = 44 + LegendHeight(series, width - 40);
        var plotH = Math.Max(1, spec.Bars.Count) * (barH + gap);
        var height = top + plotH + 40;
        var sb = Open(spec, width, height);
        Legend(sb, spec, series, 16, 32, width - 32);
        for (var t = 0.0; t <= axisMax + step / 2; t += step)
        {
            var x = left + t / axisMax * plotW;
            sb.Append(Inv($"<line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{top}\" y2=\"{top + plotH}\" stroke=\"#e3e3e3\"/>"));
            sb.Append(Inv($"<text x=\"{x:F1}\" y=\"{top + plotH + 14}\" text-anchor=\"middle\" class=\"tick\">{Format(t)}</text>"));
        }
        sb.Append(Inv($"<text x=\"{left + plotW / 2}\" y=\"{height - 6}\" text-anchor=\"middle\" class=\"axis\">{Esc(spec.Unit)}</text>"));
        for (var i = 0; i < spec.Bars.Count; i++)
        {
            var bar = spec.Bars[i];
            var y = top + gap / 2 + i * (barH + gap);
            var x = (double)left;
            sb.Append(Inv($"<g class=\"bar\" data-bar=\"{Esc(bar.Label)}\" data-total=\"{bar.Total.ToString("R", CultureInfo.InvariantCulture)}\">"));
            sb.Append(Inv($"<text x=\"{left - 6}\" y=\"{y + barH - 5}\" text-anchor=\"end\" class=\"label\">{Esc(Truncate(bar.Label, 40))}</text>"));
            foreach (var seg in bar.Segments.Where(s => s.Value > 0))
            {
                var w = seg.Value / axisMax * plotW;
                Segment(sb, spec, bar, seg, x, y, w, barH);
                x += w;
            }
            sb.Append(Inv($"<text x=\"{x + 4:F1}\" y=\"{y + barH - 5}\" class=\"total\">{Format(bar.Total)}{(bar.Marker is null ? "" : " " + Esc(bar.Marker))}</text>"));
            sb.Append("</g>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static StringBuilder Open(BarChartSpec spec, int width, int height)
    {
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\""));
        if (spec.Id is not null) sb.Append(" id=\"").Append(Esc(spec.Id)).Append('"');
        sb.Append(" aria-label=\"").Append(Esc(spec.Title)).Append("\">");
        sb.Append(Inv($"<text x=\"8\" y=\"18\" class=\"title\">{Esc(spec.Title)}</text>"));
        if (spec.Bars.Count == 0)
            sb.Append(Inv($"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" class=\"axis\">no data</text>"));
        return sb;
    }

    private static int LegendHeight(List<string> series, int width)
    {
        var perRow = Math.Max(1, width / 130);
        return (series.Count + perRow - 1) / perRow * 16;
    }

    private static void Legend(StringBuilder sb, BarChartSpec spec, List<string> series, int x0, int y0, int width)
    {
        var perRow = Math.Max(1, width / 130);
        for (var i = 0; i < series.Count; i++)
        {
            var x = x0 + i % perRow * 130;
            var y = y0 + i / perRow * 16;
            sb.Append(Inv($"<g class=\"legend\"><rect x=\"{x}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{Color(spec, series[i])}\"/>"));
            sb.Append(Inv($"<text x=\"{x + 14}\" y=\"{y + 9}\" class=\"legend-text\">{Esc(series[i])}</text></g>"));
        }
    }

    private static void Segment(StringBuilder sb, BarChartSpec spec, ChartBar bar, ChartSegment seg, double x, double y, double w, double h)
    {
        var value = seg.Value.ToString("R", CultureInfo.InvariantCulture);
        sb.Append(Inv($"<rect class=\"seg\" x=\"{x:F2}\" y=\"{y:F2}\" width=\"{w:F2}\" height=\"{h:F2}\" fill=\"{Color(spec, seg.Series)}\" "));
        sb.Append("data-bar=\"").Append(Esc(bar.Label)).Append("\" data-series=\"").Append(Esc(seg.Series)).Append("\" data-value=\"").Append(value).Append("\">");
        sb.Append("<title>").Append(Esc(bar.Label)).Append(bar.Marker is null ? "" : " (" + Esc(bar.Marker) + ")")
          .Append(" · ").Append(Esc(seg.Series)).Append(": ").Append(Format(seg.Value)).Append(' ').Append(Esc(spec.Unit))
          .Append(" (bar total ").Append(Format(bar.Total)).Append(' ').Append(Esc(spec.Unit)).Append(")</title></rect>");
    }

    private static string Color(BarChartSpec spec, string series) => spec.Colors.GetValueOrDefault(series, "#9e9e9e");

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
