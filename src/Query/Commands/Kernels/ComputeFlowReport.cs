using System.Globalization;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Kernels;

/// <summary>
/// The <c>compute-flow</c> form of one layer (docs/reference-analysis.md, 'Kernel breakdown'): a header with the layer's start relative to the trace,
/// then per kernel in hotness order the half, category, simplified name, duration, share, start relative to the
/// trace (ms) and the launching operator's Input Dims (<c>—</c> when unknown).
/// </summary>
public static class ComputeFlowReport
{
    /// <summary>Writes the layer's compute flow.</summary>
    public static void Write(LayerKernels layer, TextWriter output)
    {
        var cr = layer.CompressRatio is long c ? $" (compress_ratio={c})" : "";
        output.WriteLine(new string('=', 120));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Compute Flow: Layer {layer.LayerIdx} [{layer.LayerType}]{cr}  —  sum {CellFormatter.Human("x_ms", layer.DetailValue("sum_ms"))} ms, " +
            $"{layer.DetailValue("kernel_count")} kernels  | offset={CellFormatter.Human("x_ms", layer.DetailValue("start_rel_ms"))} ms"));
        output.WriteLine(new string('=', 120));
        var k = layer.Kernels;
        var rows = k.Rows.Select(r => new object?[]
        {
            r[k.IndexOf("hotness_rank")], r[k.IndexOf("half")], r[k.IndexOf("category")],
            Cut((string?)r[k.IndexOf("simplified_name")], 48), r[k.IndexOf("dur_us")], r[k.IndexOf("share_pct")],
            r[k.IndexOf("ts_rel_ms")], Cut((string?)r[k.IndexOf("input_dims")], 40) ?? "—",
        }).ToList();
        new TextTableWriter().Write(new ResultTable(
            ["hotness_rank", "half", "category", "simplified_name", "dur_us", "share_pct", "ts_rel_ms", "input_dims"], rows), output);
    }

    private static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..(max - 3)] + "...";
}
