using System.Globalization;
using System.Text;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Analysis.Tests.Support;

/// <summary>One kernel whose segmentation differs from the generator's truth.</summary>
internal sealed record TruthMismatch(int KernelIdx, string Name, string Expected, string Got);

/// <summary>How much of a segmentation matches the truth: share of kernels in their true (pass, layer | role).</summary>
internal sealed record TruthReport(int Total, int Correct, IReadOnlyList<TruthMismatch> FirstMismatches, string? CountProblem)
{
    public double Share => Total == 0 ? 1.0 : (double)Correct / Total;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Correct} of {Total} kernels in their true place ({Share:P2})");
        if (CountProblem is not null) sb.Append("; ").Append(CountProblem);
        foreach (var m in FirstMismatches)
            sb.Append(CultureInfo.InvariantCulture, $"\n  kernel {m.KernelIdx} {Shorten(m.Name)}: expected {m.Expected}, got {m.Got}");
        return sb.ToString();
    }

    private static string Shorten(string name) => name.Length <= 90 ? name : name[..87] + "...";
}

/// <summary>
/// Compares a <see cref="SegmentationResult"/> with the ground truth TraceGen writes (<see cref="TraceGenResult.Truth"/>
/// or a <c>.truth.tsv</c> file): per kernel, pass, layer and role must all match. Roles compare by their stored name.
/// </summary>
internal static class TruthComparison
{
    /// <summary>Generates <paramref name="spec"/> into <paramref name="directory"/> (trace + truth file) and loads its kernels.</summary>
    public static (KernelSequence Kernels, TraceTruth Truth) Generate(TraceSpec spec, string directory, string name = "case")
    {
        var path = Path.Combine(directory, name + ".pt.trace.json");
        var result = TraceWriter.WriteFile(spec, path, gzip: false, writeTruth: true);
        return (KernelListLoader.Load(path), result.Truth);
    }

    /// <summary>The share of kernels in their true place and the first <paramref name="maxMismatches"/> mismatches.</summary>
    public static TruthReport Compare(IReadOnlyList<KernelTruth> truth, SegmentationResult result, KernelSequence? kernels = null, int maxMismatches = 12)
    {
        int n = result.PassIdx.Length;
        string? countProblem = truth.Count == n ? null : $"kernel count differs: truth {truth.Count}, segmentation {n}";
        int total = Math.Min(truth.Count, n), correct = 0;
        var mismatches = new List<TruthMismatch>();
        for (int i = 0; i < total; i++)
        {
            var t = truth[i];
            if (kernels is not null && kernels.Name(i) != t.Name)
            {
                countProblem ??= $"kernel {i} is '{kernels.Name(i)}' in the sequence but '{t.Name}' in the truth: not the same trace or order";
            }
            string expected = Describe(t.Pass, t.Layer, t.Role.ToName());
            string got = Describe(result.PassIdx[i], result.LayerIdx[i], result.Role[i].ToSql() ?? "");
            if (expected == got) correct++;
            else if (mismatches.Count < maxMismatches) mismatches.Add(new TruthMismatch(i, t.Name, expected, got));
        }
        return new TruthReport(Math.Max(truth.Count, n), correct, mismatches, countProblem);
    }

    /// <summary>Fails with the report unless at least <paramref name="minShare"/> of the kernels are in their true place (default all).</summary>
    public static TruthReport AssertMatches(IReadOnlyList<KernelTruth> truth, SegmentationResult result, KernelSequence? kernels = null, double minShare = 1.0)
    {
        var report = Compare(truth, result, kernels);
        Assert.True(report.CountProblem is null && report.Share >= minShare, report.ToString());
        return report;
    }

    private static string Describe(int pass, int layer, string role) =>
        role == "layer" ? string.Create(CultureInfo.InvariantCulture, $"pass {pass} layer {layer}")
        : string.Create(CultureInfo.InvariantCulture, $"pass {pass} {(role == "" ? "(none)" : role)}");
}
