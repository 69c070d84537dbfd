using System.Globalization;
using LlmPipeline.Analysis.Phases;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// The note of each pass (<c>passes.note</c>; docs/segmentation.md, section 8): how a pass compares with the passes of its
/// phase before and after it. Within each phase, over its complete passes in order (partial passes and idle padding
/// steps get no note and are not compared with):
/// <list type="bullet">
/// <item>the first is <c>cold-start</c> only when the phase has later passes and it is at least 10 % slower than their
/// median (a lone prefill pass or a single captured decode step is not a cold start);</item>
/// <item>a later pass is <c>steady-state</c> when its wall differs by at most 5 % from the previous pass's,
/// <c>growing &lt;g&gt;x</c> (one decimal) when it grew more than 1.5×, else it has no note.</item>
/// </list>
/// The wall compared is layer 0's; in a run without layers (no pass has a layer 0), the pass's own wall.
/// </summary>
public static class PassNotes
{
    /// <summary>The first pass of a phase is <c>cold-start</c> when its wall exceeds the median of the later passes by at least this share.</summary>
    public const double ColdStartMargin = 0.10;

    /// <summary>Relative change of the wall up to which a pass is <c>steady-state</c>.</summary>
    public const double SteadyTolerance = 0.05;

    /// <summary>Growth of the wall above which a pass is <c>growing &lt;g&gt;x</c>.</summary>
    public const double GrowingThreshold = 1.5;

    /// <summary>The note of each pass, in the order of <paramref name="passes"/>: <c>cold-start</c>, <c>steady-state</c>,
    /// <c>growing &lt;g&gt;x</c> or null.</summary>
    /// <param name="passes">The passes of one run and device in order (their <see cref="PassSummary.IsPartial"/>,
    /// <see cref="PassSummary.Phase"/> and <see cref="KernelTotals.WallUs"/> are used; <see cref="PassSummary.Note"/> is not).</param>
    /// <param name="layer0WallUs">Per pass: the wall of its layer 0 in µs, or null when it has none.</param>
    public static string?[] Compute(IReadOnlyList<PassSummary> passes, IReadOnlyList<double?> layer0WallUs)
    {
        ArgumentNullException.ThrowIfNull(passes);
        ArgumentNullException.ThrowIfNull(layer0WallUs);
        if (layer0WallUs.Count != passes.Count)
            throw new ArgumentException($"{layer0WallUs.Count} layer-0 walls for {passes.Count} passes", nameof(layer0WallUs));
        var byLayer0 = layer0WallUs.Any(w => w is not null);
        double? Wall(int i) => byLayer0 ? layer0WallUs[i] : passes[i].Totals.WallUs;
        var notes = new string?[passes.Count];
        var phases = Enumerable.Range(0, passes.Count)
            .Where(i => !passes[i].IsPartial && Phases.PhaseNames.IsWork(passes[i].Phase))
            .GroupBy(i => passes[i].Phase ?? "");
        foreach (var phase in phases)
        {
            var members = phase.ToList();
            if (IsColdStart(Wall(members[0]), members.Skip(1).Select(Wall).OfType<double>().ToList()))
                notes[members[0]] = "cold-start";
            for (var k = 1; k < members.Count; k++)
                notes[members[k]] = Compare(Wall(members[k]), Wall(members[k - 1]));
        }
        return notes;
    }

    private static bool IsColdStart(double? first, List<double> later)
    {
        if (first is not { } w || later.Count == 0) return false;
        var median = OutlierDetector.Median(later);
        return w - median >= ColdStartMargin * median;
    }

    private static string? Compare(double? current, double? previous)
    {
        if (current is not { } cur || previous is not { } prev || prev <= 0) return null;
        if (Math.Abs(cur - prev) <= SteadyTolerance * prev) return "steady-state";
        var growth = cur / prev;
        return growth > GrowingThreshold ? "growing " + growth.ToString("0.0", CultureInfo.InvariantCulture) + "x" : null;
    }
}
