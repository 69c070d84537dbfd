using System.Globalization;
using System.Net;
using System.Text;

namespace LlmPipeline.Query.Report;

/// <summary>One point of a roofline: a kernel shape (op and formula) of the reported pass.</summary>
/// <param name="Label">Op name and formula.</param>
/// <param name="FlopsPerByte">Arithmetic intensity, FLOPs per byte moved.</param>
/// <param name="Tflops">Achieved TFLOP/s (mean over the shape's kernels).</param>
/// <param name="Kernels">Kernels of that shape in the pass.</param>
public sealed record RooflinePoint(string Label, double FlopsPerByte, double Tflops, long Kernels);

/// <summary>
/// An inline-SVG roofline, log-log: arithmetic intensity (FLOPs/byte) on x, achieved TFLOP/s on y, under the GPU's
/// bandwidth roof (TFLOP/s = FLOPs/byte × GB/s / 1000) and its compute roof (dense peak TFLOP/s), which meet at the
/// ridge point peak_tflops × 1000 / peak_gbps FLOPs/byte.
/// </summary>
public static class SvgRoofline
{
    private const int Width = 640, Height = 400, Left = 70, Right = 20, Top = 30, Bottom = 50;

    /// <summary>The SVG; <paramref name="id"/> becomes its element id. Points with a non-positive value are left out.</summary>
    /// <param name="points">One per kernel shape.</param>
    /// <param name="peakTflops">Dense peak TFLOP/s of the dtype carrying most FLOPs.</param>
    /// <param name="peakGbps">Peak memory bandwidth, GB/s.</param>
    /// <param name="id">Element id.</param>
    public static string Render(IReadOnlyList<RooflinePoint> points, double peakTflops, double peakGbps, string id)
    {
        var pts = points.Where(p => p.FlopsPerByte > 0 && p.Tflops > 0).ToList();
        var ridge = peakTflops * 1000 / peakGbps;
        var xMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Min(ridge / 100, pts.Count > 0 ? pts.Min(p => p.FlopsPerByte) : ridge))));
        var xMax = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(ridge * 10, pts.Count > 0 ? pts.Max(p => p.FlopsPerByte) : ridge))));
        var yMax = Math.Pow(10, Math.Ceiling(Math.Log10(peakTflops * 1.01)));
        var yMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Min(xMin * peakGbps / 1000, pts.Count > 0 ? pts.Min(p => p.Tflops) : peakTflops))));
        double X(double v) => Left + (Math.Log10(v) - Math.Log10(xMin)) / (Math.Log10(xMax) - Math.Log10(xMin)) * (Width - Left - Right);
        double Y(double v) => Height - Bottom - (Math.Log10(v) - Math.Log10(yMin)) / (Math.Log10(yMax) - Math.Log10(yMin)) * (Height - Top - Bottom);
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart roofline\" id=\"{id}\" data-testid=\"{id}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" data-peak-tflops=\"{R(peakTflops)}\" data-peak-gbps=\"{R(peakGbps)}\">"));
        sb.Append("<title>Roofline: achieved TFLOP/s against FLOPs per byte, log-log</title>");
        // Decade grid and tick labels.
        for (var e = (int)Math.Round(Math.Log10(xMin)); e <= (int)Math.Round(Math.Log10(xMax)); e++)
        {
            var x = X(Math.Pow(10, e));
            sb.Append(Inv($"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Height - Bottom}\" stroke=\"#e0e0e0\"/>"));
            sb.Append(Inv($"<text x=\"{x:0.#}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\">{Tick(e)}</text>"));
        }
        for (var e = (int)Math.Round(Math.Log10(yMin)); e <= (int)Math.Round(Math.Log10(yMax)); e++)
        {
            var y = Y(Math.Pow(10, e));
            sb.Append(Inv($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#e0e0e0\"/>"));
            sb.Append(Inv($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" font-size=\"11\" text-anchor=\"end\">{Tick(e)}</text>"));
        }
        sb.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#888\"/>"));
        // Roofs: bandwidth from xMin to the ridge, compute from the ridge to xMax.
        sb.Append(Inv($"<polyline class=\"roof\" data-testid=\"{id}-roof\" fill=\"none\" stroke=\"#c62828\" stroke-width=\"2\" points=\"{X(xMin):0.#},{Y(xMin * peakGbps / 1000):0.#} {X(ridge):0.#},{Y(peakTflops):0.#} {X(xMax):0.#},{Y(peakTflops):0.#}\"/>"));
        sb.Append(Inv($"<text x=\"{X(xMax) - 4:0.#}\" y=\"{Y(peakTflops) - 6:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#c62828\">compute roof {R(peakTflops)} TFLOP/s</text>"));
        sb.Append(Inv($"<text x=\"{X(xMin) + 6:0.#}\" y=\"{Y(xMin * peakGbps / 1000) - 8:0.#}\" font-size=\"11\" fill=\"#c62828\">bandwidth roof {R(peakGbps)} GB/s</text>"));
        foreach (var p in pts)
            sb.Append(Inv($"<circle class=\"pt\" cx=\"{X(p.FlopsPerByte):0.##}\" cy=\"{Y(p.Tflops):0.##}\" r=\"4\" fill=\"#1565c0\" fill-opacity=\"0.7\" data-flops-per-byte=\"{R(p.FlopsPerByte)}\" data-value=\"{R(p.Tflops)}\"><title>{Esc(p.Label)}: {p.FlopsPerByte:0.##} FLOPs/byte, {p.Tflops:0.##} TFLOP/s, {p.Kernels} kernel(s)</title></circle>"));
        sb.Append(Inv($"<text class=\"axis-title\" x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 10}\" font-size=\"12\" text-anchor=\"middle\">Arithmetic intensity (FLOPs/byte, log scale)</text>"));
        sb.Append(Inv($"<text class=\"axis-title\" transform=\"rotate(-90)\" x=\"{-(Top + Height - Bottom) / 2}\" y=\"16\" font-size=\"12\" text-anchor=\"middle\">Achieved TFLOP/s (log scale)</text>"));
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Tick(int e) => e switch
    {
        >= 0 and <= 5 => Math.Pow(10, e).ToString("0", CultureInfo.InvariantCulture),
        -1 => "0.1",
        -2 => "0.01",
        _ => "1e" + e.ToString(CultureInfo.InvariantCulture),
    };

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
