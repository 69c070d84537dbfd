using System.Globalization;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Kernels;

/// <summary>The text form of one layer (docs/reference-analysis.md, 'Kernel breakdown'): header, category summary with bars, kernels in hotness order.</summary>
public static class KernelsTextReport
{
    /// <summary>The bar character; one per 2 % of the layer's summed kernel time, as in the llm-pipeline-analysis text form.</summary>
    public const char BarChar = '▓';

    /// <summary>The kernel list's default columns (<c>--columns</c> picks among every column of <see cref="LayerKernels.Kernels"/>).</summary>
    public static readonly DefaultColumns Defaults = new(["hotness_rank", "half", "category", "simplified_name", "dur_us", "share_pct"]);

    /// <summary>Writes the layer; <paramref name="columns"/> chooses the kernel list's columns.</summary>
    /// <exception cref="UsageException">An unknown <c>--columns</c> name.</exception>
    public static void Write(LayerKernels layer, TextWriter output, ColumnSelection columns)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(columns);
        output.WriteLine(Header(layer));
        output.WriteLine();
        var categories = layer.Categories;
        var columns5 = new[] { "category", "category_group", "time_us", "share_pct", "kernel_count" };
        var left = categories.Select(columns5);
        var perChar = BarPercentPerChar(left);
        var withBars = new ResultTable([.. columns5, "bar"],
            left.Rows.Select(r => (object?[])[.. r, Bar(r[3], perChar)]).ToList());
        new TextTableWriter().Write(withBars, output);
        output.WriteLine();
        columns.Render(layer.Kernels, OutputFormat.Table, output, Defaults);
    }

    /// <summary>The two-line header: layer, type, compress ratio, run, device, pass; then sum / wall / busy in ms and the kernel count.</summary>
    public static string Header(LayerKernels layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var cr = layer.CompressRatio is long c ? $", compress_ratio={c}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"Layer {layer.LayerIdx} [{layer.LayerType}{cr}] of run {layer.Scope.RunId} device {layer.Scope.Device} pass {layer.Scope.PassIdx}:{Environment.NewLine}" +
            $"sum {Ms(layer.DetailValue("sum_ms"))} ms, wall {Ms(layer.DetailValue("wall_ms"))} ms, busy {Ms(layer.DetailValue("busy_ms"))} ms, " +
            $"{layer.DetailValue("kernel_count")} kernels");
    }

    /// <summary>The bar for a share in percent: floor(share / <paramref name="percentPerChar"/>) bar characters.</summary>
    public static string Bar(object? sharePct, double percentPerChar = 2) =>
        sharePct is double d && d > 0 ? new string(BarChar, (int)Math.Floor(d / percentPerChar)) : "";

    /// <summary>
    /// Percent of the layer's time per bar character: 2, as in the llm-pipeline-analysis text form, unless the longest
    /// bar beside <paramref name="left"/> would pass <see cref="TextTableWriter.DefaultMaxWidth"/>; then as many
    /// percent per character as make it fit.
    /// </summary>
    private static double BarPercentPerChar(ResultTable left)
    {
        var used = left.Columns.Select((c, i) => Math.Max(c.Length, left.Rows.Count == 0 ? 0 : left.Rows.Max(r => CellFormatter.Human(c, r[i]).Length)) + TableFitter.Gap).Sum();
        var room = Math.Max(10, TextTableWriter.DefaultMaxWidth - used);
        var share = left.Rows.Select(r => r[left.IndexOf("share_pct")] as double? ?? 0).DefaultIfEmpty(0).Max();
        return Math.Floor(share / 2) <= room ? 2 : share / room;
    }

    private static string Ms(object? value) => CellFormatter.Human("x_ms", value);
}
