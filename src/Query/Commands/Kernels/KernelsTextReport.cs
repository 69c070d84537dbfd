using System.Globalization;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Kernels;

/// <summary>The text form of one layer (docs/reference-analysis.md, 'Kernel breakdown'): header, category summary with bars, kernels in hotness order.</summary>
public static class KernelsTextReport
{
    /// <summary>The bar character; one per 2 % of the layer's summed kernel time, as in the llm-pipeline-analysis text form.</summary>
    public const char BarChar = '▓';

    /// <summary>Writes the layer.</summary>
    public static void Write(LayerKernels layer, TextWriter output)
    {
        output.WriteLine(Header(layer));
        output.WriteLine();
        var categories = layer.Categories;
        var withBars = new ResultTable(
            ["category", "category_group", "time_us", "share_pct", "kernel_count", "bar"],
            categories.Rows.Select(r => new object?[]
            {
                r[categories.IndexOf("category")], r[categories.IndexOf("category_group")], r[categories.IndexOf("time_us")],
                r[categories.IndexOf("share_pct")], r[categories.IndexOf("kernel_count")], Bar(r[categories.IndexOf("share_pct")]),
            }).ToList());
        new TextTableWriter().Write(withBars, output);
        output.WriteLine();
        new TextTableWriter().Write(layer.Kernels.Select("hotness_rank", "half", "category", "simplified_name", "dur_us", "share_pct"), output);
    }

    /// <summary>The one-line header: layer, type, compress ratio, sum / wall / busy in ms, kernel count, pass.</summary>
    public static string Header(LayerKernels layer)
    {
        var cr = layer.CompressRatio is long c ? $", compress_ratio={c}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"Layer {layer.LayerIdx} [{layer.LayerType}{cr}] of run {layer.Scope.RunId} device {layer.Scope.Device} pass {layer.Scope.PassIdx}: " +
            $"sum {Ms(layer.DetailValue("sum_ms"))} ms, wall {Ms(layer.DetailValue("wall_ms"))} ms, busy {Ms(layer.DetailValue("busy_ms"))} ms, " +
            $"{layer.DetailValue("kernel_count")} kernels");
    }

    /// <summary>The bar for a share in percent: floor(share / 2) bar characters.</summary>
    public static string Bar(object? sharePct) => sharePct is double d && d > 0 ? new string(BarChar, (int)Math.Floor(d / 2)) : "";

    private static string Ms(object? value) => CellFormatter.Human("x_ms", value);
}
