namespace LlmPipeline.Query.Commands.Kernels;

/// <summary>The kernel-type difference of two layers: sets of simplified names, sorted by ordinal string order (docs/reference-analysis.md, 'Kernel breakdown').</summary>
/// <param name="OnlyPrimary">Names only in the primary layer.</param>
/// <param name="OnlyComparison">Names only in the comparison layer.</param>
/// <param name="CommonCount">Names in both.</param>
public sealed record KernelDiff(IReadOnlyList<string> OnlyPrimary, IReadOnlyList<string> OnlyComparison, int CommonCount)
{
    /// <summary>Compares the simplified names of two layers.</summary>
    public static KernelDiff Of(LayerKernels primary, LayerKernels comparison)
    {
        var a = primary.SimplifiedNames;
        var b = comparison.SimplifiedNames;
        return new KernelDiff(
            a.Except(b).Order(StringComparer.Ordinal).ToList(),
            b.Except(a).Order(StringComparer.Ordinal).ToList(),
            a.Intersect(b).Count());
    }

    /// <summary>Writes the text form.</summary>
    public void Write(TextWriter output, int primaryLayer, int comparisonLayer)
    {
        output.WriteLine();
        output.WriteLine($"Kernel diff: layer {primaryLayer} vs layer {comparisonLayer}");
        output.WriteLine($"  Common: {CommonCount} types");
        output.WriteLine($"  Only in layer {primaryLayer}: {OnlyPrimary.Count} types");
        foreach (var n in OnlyPrimary) output.WriteLine($"    + {n}");
        output.WriteLine($"  Only in layer {comparisonLayer}: {OnlyComparison.Count} types");
        foreach (var n in OnlyComparison) output.WriteLine($"    + {n}");
    }
}
