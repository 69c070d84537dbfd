using System.Globalization;
using System.Net;
using System.Text;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Report;

/// <summary>
/// One self-contained HTML page (inline CSS and SVG, no script, no network access) for one run, or two runs side by
/// side with their category-group deltas: pass timeline (cold vs steady marked), per-layer stacked bars by category
/// group for the reported pass, layer-type clusters, MFU / MBU per layer type and a roofline of the pass's kernel
/// shapes (<see cref="SvgRoofline"/>), top kernels and Perfetto links. Numbers come from
/// <see cref="RunReportData"/> (the views); elements carrying a number tests check have <c>data-testid</c> and
/// <c>data-value</c> (round-trip form).
/// </summary>
public static class HtmlReport
{
    /// <summary>Renders the page for <paramref name="a"/>, and <paramref name="b"/> side by side when given.</summary>
    public static string Render(RunReportData a, RunReportData? b, string databasePath)
    {
        var sb = new StringBuilder();
        var title = b is null ? $"llmpipe report: run {a.RunId}" : $"llmpipe report: run {a.RunId} vs run {b.RunId}";
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Esc(title)).Append("</title>\n<style>\n")
          .Append(Css).Append("</style></head>\n<body>\n<h1>").Append(Esc(title)).Append("</h1>\n<p class=\"sub\">Database ")
          .Append(Esc(databasePath)).Append(". Times are GPU kernel times from the trace; every number comes from the database views (")
          .Append("<code>llmpipe schema</code> explains each column). Hover over a bar for its value.</p>\n");
        if (b is null)
        {
            RunColumn(sb, a, "a");
        }
        else
        {
            sb.Append("<div class=\"cols\">");
            RunColumn(sb, a, "a");
            RunColumn(sb, b, "b");
            sb.Append("</div>\n");
            Deltas(sb, a, b);
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void RunColumn(StringBuilder sb, RunReportData d, string side)
    {
        sb.Append("<div class=\"run\" data-run=\"").Append(d.RunId).Append("\" data-side=\"").Append(side).Append("\">\n");
        Summary(sb, d, side);
        PassTimeline(sb, d, side);
        Layers(sb, d, side);
        Clusters(sb, d, side);
        Efficiency(sb, d, side);
        TopKernels(sb, d);
        Perfetto(sb, d);
        sb.Append("</div>\n");
    }

    /// <summary>
    /// The run table's line on graph replays (from <c>run_summary</c>'s replay columns; a run without graph replays
    /// shows <c>none</c>): <c>544 of 544 kernels (100.0 %) attributed from bs_32_rank0.json.gz,
    /// aligned by sequence (hipGraphLaunch)</c>, or <c>none of 421 kernels attributed (hipGraphLaunch): no capture trace matched</c>.
    /// </summary>
    public static string ReplayLine(string kernels, string attributed, string api, string method, string captures)
    {
        var n = long.Parse(kernels, CultureInfo.InvariantCulture);
        var a = attributed.Length == 0 ? 0 : long.Parse(attributed, CultureInfo.InvariantCulture);
        return a == 0
            ? $"none of {n} kernels attributed ({api}): no capture trace matched (llmpipe warnings says why)"
            : string.Create(CultureInfo.InvariantCulture, $"{a} of {n} kernels ({100.0 * a / n:0.0} %) attributed from {captures}, aligned by {method} ({api})");
    }

    private static void Summary(StringBuilder sb, RunReportData d, string side)
    {
        var s = d.Summary;
        string V(string c) => s.Rows.Count == 0 ? "" : Cell(s.Rows[0][s.IndexOf(c)]);
        sb.Append("<h2>Run ").Append(d.RunId).Append(V("label") is { Length: > 0 } l ? " · " + Esc(l) : "").Append("</h2>\n<table class=\"meta\">");
        foreach (var (label, col) in new[] { ("model", "model"), ("framework", "framework"), ("GPU", "gpu_name"), ("profile", "profile"),
                     ("layers per pass", "num_layers"), ("kernels", "kernel_count"), ("passes", "pass_count"), ("trace", "source_path") })
            sb.Append("<tr><th>").Append(label).Append("</th><td>").Append(Esc(V(col))).Append("</td></tr>");
        sb.Append("<tr><th>graph replays</th><td data-testid=\"replay-coverage-").Append(side).Append("\">")
          .Append(Esc(V("replay_kernels") is { Length: > 0 } replayKernels && replayKernels != "0"
              ? ReplayLine(replayKernels, V("replay_attributed"), V("graph_launch_api"), V("replay_match"), V("replay_captures"))
              : "none"))
          .Append("</td></tr>");
        var pass = d.Passes.Rows.FirstOrDefault(r => (long)r[d.Passes.IndexOf("pass_idx")]! == d.PassIdx);
        if (pass is not null)
        {
            var dur = (double)pass[d.Passes.IndexOf("duration_ms")]!;
            sb.Append("<tr><th>reported pass</th><td><span data-testid=\"reported-pass-").Append(side).Append("\">pass ").Append(d.PassIdx)
              .Append(": ").Append(Esc(d.PassReason)).Append("</span><br><b><span data-testid=\"pass-duration-ms-").Append(side)
              .Append("\" data-value=\"").Append(R(dur)).Append("\">").Append(SvgBarChart.Format(dur)).Append("</span> ms</b>")
              .Append(Esc(Cell(pass[d.Passes.IndexOf("note")])) is { Length: > 0 } n ? " (" + n + ")" : "").Append("</td></tr>");
        }
        sb.Append("</table>\n");
    }

    private static void PassTimeline(StringBuilder sb, RunReportData d, string side)
    {
        var t = d.Passes;
        var bars = t.Rows.Select(r =>
        {
            var note = Cell(r[t.IndexOf("note")]);
            var kind = (long)r[t.IndexOf("is_partial")]! == 1 ? "partial"
                : note == "cold-start" ? "cold-start" : note == "steady-state" ? "steady-state" : "other pass";
            var idx = (long)r[t.IndexOf("pass_idx")]!;
            return new ChartBar(idx.ToString(CultureInfo.InvariantCulture), [new ChartSegment(kind, (double)r[t.IndexOf("duration_ms")]!)],
                idx == d.PassIdx ? "▼ shown" : null);
        }).ToList();
        sb.Append("<h3>Pass timeline</h3><p class=\"note\">Wall duration of every forward pass (first kernel start to last kernel end). ")
          .Append("Cold-start passes (the first of a phase, at least 10 % slower than the later passes of the phase) and steady-state passes (within 5 % of the previous pass of the phase) are coloured; ▼ marks the pass the charts below show.</p>\n");
        sb.Append(SvgBarChart.Render(new BarChartSpec("Forward pass duration", "ms", bars, CategoryPalette.PassKinds, CategoryAxisTitle: "pass", Id: "pass-timeline-" + side)));
    }

    private static void Layers(StringBuilder sb, RunReportData d, string side)
    {
        var t = d.LayerCategories;
        var bars = t.Rows.GroupBy(r => (long)r[t.IndexOf("layer_idx")]!)
            .OrderBy(g => g.Key)
            .Select(g => new ChartBar(g.Key.ToString(CultureInfo.InvariantCulture),
                g.OrderBy(r => GroupOrder((string)r[t.IndexOf("category_group")]!))
                 .Select(r => new ChartSegment((string)r[t.IndexOf("category_group")]!, (double)r[t.IndexOf("time_ms")]!)).ToList()))
            .ToList();
        sb.Append("<h3>Layers of pass ").Append(d.PassIdx).Append("</h3><p class=\"note\">Summed kernel time of each transformer layer, stacked by category group.</p>\n");
        sb.Append(SvgBarChart.Render(new BarChartSpec($"Kernel time per layer, pass {d.PassIdx}", "ms", bars, CategoryPalette.Groups, CategoryAxisTitle: "layer", Id: "layers-" + side)));
    }

    /// <summary>MFU / MBU per layer type and the roofline of the pass's kernel shapes (issue 20).</summary>
    private static void Efficiency(StringBuilder sb, RunReportData d, string side)
    {
        var e = d.LayerTypeEfficiency;
        sb.Append("<h3>Efficiency of pass ").Append(d.PassIdx).Append("</h3><p class=\"note\">MFU = FLOPs / (wall × dense peak TFLOP/s), ")
          .Append("MBU = bytes / (wall × peak GB/s), per layer type over its layers' summed wall times (view layer_efficiency; ")
          .Append("source: shapes of the launching ops, or the model config).</p>\n");
        sb.Append("<table data-testid=\"efficiency-").Append(side).Append("\"><tr><th>layer type</th><th>layers</th><th>GFLOPs</th><th>MB</th><th>MFU %</th><th>MBU %</th><th>source</th></tr>");
        foreach (var r in e.Rows)
        {
            static string Scaled(object? v, double div) => v is long l ? SvgBarChart.Format(l / div) : v is double x ? SvgBarChart.Format(x / div) : "";
            sb.Append("<tr data-layer-type=\"").Append(Esc(Cell(r[e.IndexOf("layer_type")]))).Append("\"><td>").Append(Esc(Cell(r[e.IndexOf("layer_type")])))
              .Append("</td><td class=\"n\">").Append(Cell(r[e.IndexOf("layers")]))
              .Append("</td><td class=\"n\">").Append(Scaled(r[e.IndexOf("flops")], 1e9))
              .Append("</td><td class=\"n\">").Append(Scaled(r[e.IndexOf("bytes")], 1e6))
              .Append("</td><td class=\"n mfu\" data-value=\"").Append(r[e.IndexOf("mfu_pct")] is double m ? R(m) : "").Append("\">").Append(Num(r[e.IndexOf("mfu_pct")]))
              .Append("</td><td class=\"n mbu\" data-value=\"").Append(r[e.IndexOf("mbu_pct")] is double b ? R(b) : "").Append("\">").Append(Num(r[e.IndexOf("mbu_pct")]))
              .Append("</td><td>").Append(Esc(Cell(r[e.IndexOf("flops_source")]))).Append("</td></tr>");
        }
        sb.Append("</table>\n");
        var p = d.Efficiency;
        if (p.Rows.Count == 1 && p.Rows[0][p.IndexOf("peak_tflops")] is double peak && p.Rows[0][p.IndexOf("peak_gbps")] is double gbps)
        {
            var s = d.Shapes;
            var points = s.Rows.Select(r => new RooflinePoint($"{r[s.IndexOf("op_name")]} {r[s.IndexOf("formula")]}",
                r[s.IndexOf("flops_per_byte")] is double fpb ? fpb : 0, r[s.IndexOf("tflops")] is double t ? t : 0, (long)r[s.IndexOf("kernels")]!)).ToList();
            sb.Append("<p class=\"note\">Roofline: one point per kernel shape of the pass with known FLOPs (mean achieved TFLOP/s), under the GPU's ")
              .Append(Esc(Cell(p.Rows[0][p.IndexOf("peak_dtype")]))).Append(" compute roof and its bandwidth roof.</p>\n");
            sb.Append(SvgRoofline.Render(points, peak, gbps, "roofline-" + side));
        }
        else
            sb.Append("<p class=\"note\">No roofline: the GPU's peaks or the kernels' work are unknown.</p>\n");
    }

    private static void Clusters(StringBuilder sb, RunReportData d, string side)
    {
        var g = d.ClusterGroups;
        var bars = g.Rows.GroupBy(r => (string)r[g.IndexOf("layer_type")]!)
            .Select(grp => new ChartBar(grp.Key,
                grp.OrderBy(r => GroupOrder((string)r[g.IndexOf("category_group")]!))
                   .Select(r => new ChartSegment((string)r[g.IndexOf("category_group")]!, (double)r[g.IndexOf("time_us")]! / 1e3)).ToList()))
            .ToList();
        sb.Append("<h3>Layer types</h3><p class=\"note\">Layers grouped by type (composable label); summed kernel time of all layers of the type.</p>\n");
        sb.Append(SvgBarChart.Render(new BarChartSpec("Kernel time per layer type", "ms", bars, CategoryPalette.Groups, Horizontal: true, Id: "clusters-" + side)));
        var c = d.Clusters;
        sb.Append("<table><tr><th>layer type</th><th>layers</th><th>avg wall ms</th><th>avg sum ms</th><th>avg idle ms</th></tr>");
        foreach (var r in c.Rows)
            sb.Append("<tr><td>").Append(Esc(Cell(r[c.IndexOf("layer_type")]))).Append("</td><td class=\"n\">").Append(Cell(r[c.IndexOf("layer_count")]))
              .Append("</td><td class=\"n\">").Append(Num(r[c.IndexOf("avg_wall_ms")])).Append("</td><td class=\"n\">").Append(Num(r[c.IndexOf("avg_sum_ms")]))
              .Append("</td><td class=\"n\">").Append(Num(r[c.IndexOf("avg_idle_ms")])).Append("</td></tr>");
        sb.Append("</table>\n");
    }

    private static void TopKernels(StringBuilder sb, RunReportData d)
    {
        var t = d.TopKernels;
        sb.Append("<h3>Top kernels of pass ").Append(d.PassIdx).Append("</h3>\n<table class=\"kernels\"><tr><th>kernel</th><th>group</th><th>count</th><th>total µs</th><th>share of pass</th></tr>");
        foreach (var r in t.Rows)
        {
            var share = r[t.IndexOf("share_pct")] is double s ? s : 0;
            var group = Cell(r[t.IndexOf("category_group")]);
            sb.Append("<tr><td class=\"kname\">").Append(Esc(Cell(r[t.IndexOf("simplified_name")]))).Append("</td><td>").Append(Esc(group))
              .Append("</td><td class=\"n\">").Append(Cell(r[t.IndexOf("kernel_count")])).Append("</td><td class=\"n\">").Append(Num(r[t.IndexOf("total_us")]))
              .Append("</td><td><span class=\"sbar\" style=\"width:").Append(R(Math.Round(share * 1.2, 1))).Append("px;background:")
              .Append(CategoryPalette.Groups.GetValueOrDefault(group, "#9e9e9e")).Append("\"></span> ").Append(SvgBarChart.Format(share)).Append(" %</td></tr>");
        }
        sb.Append("</table>\n");
    }

    private static void Perfetto(StringBuilder sb, RunReportData d)
    {
        var t = d.Ranges;
        sb.Append("<h3>Open in Perfetto</h3><p class=\"note\">Serve the trace with <code>llmpipe perfetto --serve --run ").Append(d.RunId)
          .Append("</code>, then follow a link to open ui.perfetto.dev at that range.</p>\n<details><summary>pass ").Append(d.PassIdx)
          .Append(" and its ").Append(t.Rows.Count(r => (string?)r[t.IndexOf("kind")] == "layer")).Append(" layers</summary><table><tr><th>range</th><th>start s</th><th>duration ms</th><th>link</th></tr>");
        foreach (var r in t.Rows)
        {
            var name = (string?)r[t.IndexOf("kind")] == "pass" ? $"pass {d.PassIdx}" : $"layer {Cell(r[t.IndexOf("layer_idx")])} {Cell(r[t.IndexOf("layer_type")])}";
            sb.Append("<tr><td>").Append(Esc(name)).Append("</td><td class=\"n\">").Append(Num(r[t.IndexOf("start_s")])).Append("</td><td class=\"n\">")
              .Append(Num(r[t.IndexOf("duration_ms")])).Append("</td><td><a href=\"").Append(Esc(Cell(r[t.IndexOf("url")]))).Append("\">Perfetto</a></td></tr>");
        }
        sb.Append("</table></details>\n");
    }

    private static void Deltas(StringBuilder sb, RunReportData a, RunReportData b)
    {
        static Dictionary<string, double> ByGroup(RunReportData d)
        {
            var t = d.Categories;
            return t.Rows.GroupBy(r => (string)r[t.IndexOf("category_group")]!)
                .ToDictionary(g => g.Key, g => g.Sum(r => (double)r[t.IndexOf("total_us")]!) / 1e3, StringComparer.Ordinal);
        }
        var ga = ByGroup(a);
        var gb = ByGroup(b);
        var groups = ga.Keys.Union(gb.Keys).OrderByDescending(k => Math.Abs(gb.GetValueOrDefault(k) - ga.GetValueOrDefault(k))).ToList();
        var maxAbs = groups.Count == 0 ? 1 : Math.Max(1e-12, groups.Max(k => Math.Abs(gb.GetValueOrDefault(k) - ga.GetValueOrDefault(k))));
        sb.Append("<h2>Category deltas: run ").Append(b.RunId).Append(" pass ").Append(b.PassIdx).Append(" minus run ").Append(a.RunId).Append(" pass ").Append(a.PassIdx)
          .Append("</h2><p class=\"note\">Summed kernel time of the reported pass per category group (all kernels of the pass). Red: run ")
          .Append(b.RunId).Append(" spends more; green: less.</p>\n<table class=\"deltas\"><tr><th>group</th><th>run ").Append(a.RunId).Append(" ms</th><th>run ")
          .Append(b.RunId).Append(" ms</th><th>delta ms</th><th>delta %</th><th></th></tr>");
        foreach (var k in groups)
        {
            var (x, y) = (ga.GetValueOrDefault(k), gb.GetValueOrDefault(k));
            var delta = y - x;
            var pct = x > 0 ? SvgBarChart.Format(delta * 100 / x) + " %" : "new";
            sb.Append("<tr data-group=\"").Append(Esc(k)).Append("\" data-delta=\"").Append(R(delta)).Append("\"><td><span class=\"sw\" style=\"background:")
              .Append(CategoryPalette.Groups.GetValueOrDefault(k, "#9e9e9e")).Append("\"></span>").Append(Esc(k)).Append("</td><td class=\"n\">")
              .Append(SvgBarChart.Format(x)).Append("</td><td class=\"n\">").Append(SvgBarChart.Format(y)).Append("</td><td class=\"n\">")
              .Append(delta > 0 ? "+" : "").Append(SvgBarChart.Format(delta)).Append("</td><td class=\"n\">").Append(pct)
              .Append("</td><td><span class=\"dbar ").Append(delta > 0 ? "up" : "down").Append("\" style=\"width:")
              .Append(R(Math.Round(Math.Abs(delta) / maxAbs * 200, 1))).Append("px\"></span></td></tr>");
        }
        sb.Append("</table>\n");
    }

    private static int GroupOrder(string group)
    {
        var i = 0;
        foreach (var k in CategoryPalette.Groups.Keys)
        {
            if (k == group) return i;
            i++;
        }
        return i;
    }

    private static string Cell(object? v) => v switch
    {
        null => "",
        double d => SvgBarChart.Format(d),
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static string Num(object? v) => v is double d ? SvgBarChart.Format(d) : Cell(v);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px; color: #222; max-width: 1600px; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 24px 0 8px; border-bottom: 1px solid #ddd; }
        h3 { font-size: 15px; margin: 20px 0 4px; } .sub, .note { color: #555; font-size: 13px; margin: 2px 0 8px; }
        .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; } .run { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 13px; margin: 6px 0; } th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: left; }
        th { background: #f6f6f6; } td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td { white-space: nowrap; } td.kname { white-space: normal; } .meta th { width: 130px; }
        .kname { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; max-width: 520px; overflow-wrap: anywhere; }
        .sbar, .dbar, .sw { display: inline-block; height: 10px; vertical-align: middle; } .sw { width: 10px; margin-right: 6px; }
        .dbar.up { background: #e15759; } .dbar.down { background: #59a14f; }
        svg.chart { display: block; margin: 4px 0 8px; max-width: 100%; height: auto; } svg .title { font-size: 14px; font-weight: 600; }
        svg text { font-size: 12px; fill: #333; } svg .tick, svg .label { font-size: 11px; fill: #555; } svg .axis { font-size: 12px; fill: #555; }
        svg .marker { font-size: 10px; fill: #c00; } svg .total { font-size: 11px; fill: #333; } svg rect.seg:hover { opacity: 0.75; }
        details summary { cursor: pointer; font-size: 13px; }
        """;
}
