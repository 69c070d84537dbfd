using System.Globalization;

namespace LlmPipeline.Analysis.Phases;

/// <summary>
/// Steady windows and outliers (issue 4, docs/messy-traces.md, B31): passes are compared with the median wall of the
/// complete passes of their own phase (passes of unknown phase form one group). A group needs at least
/// <see cref="MinGroup"/> passes. Ramp-up: the leading passes of a group (in time order) that are each slower than
/// <see cref="RampFactor"/> × the median, before the first pass that is not. Outlier: any other pass whose wall is
/// above <see cref="HighFactor"/> × or below <see cref="LowFactor"/> × the median. Partial passes are never judged.
/// </summary>
public static class OutlierDetector
{
    /// <summary>Fewest complete passes of a phase for a median to mean anything.</summary>
    public const int MinGroup = 3;

    /// <summary>A leading pass slower than this × the median is a ramp-up pass.</summary>
    public const double RampFactor = 1.1;

    /// <summary>A pass slower than this × the median of its phase is an outlier.</summary>
    public const double HighFactor = 1.5;

    /// <summary>A pass faster than this × the median of its phase is an outlier.</summary>
    public const double LowFactor = 0.67;

    /// <summary>Judges every pass.</summary>
    /// <param name="wallUs">Per pass in time order: wall time in µs.</param>
    /// <param name="phase">Per pass: its phase, or null.</param>
    /// <param name="isPartial">Per pass: whether it is partial (never judged, never in a median).</param>
    /// <returns>One verdict per pass, parallel to the inputs.</returns>
    public static OutlierVerdict[] Judge(IReadOnlyList<double> wallUs, IReadOnlyList<string?> phase, IReadOnlyList<bool> isPartial)
    {
        ArgumentNullException.ThrowIfNull(wallUs);
        ArgumentNullException.ThrowIfNull(phase);
        ArgumentNullException.ThrowIfNull(isPartial);
        var verdicts = Enumerable.Repeat(new OutlierVerdict(false, null), wallUs.Count).ToArray();
        var groups = Enumerable.Range(0, wallUs.Count).Where(i => !isPartial[i]).GroupBy(i => phase[i] ?? "");
        foreach (var group in groups)
        {
            var members = group.OrderBy(i => i).ToList();
            if (members.Count < MinGroup) continue;
            var median = Median(members.Select(i => wallUs[i]).ToList());
            if (median <= 0) continue;
            var label = group.Key.Length == 0 ? "passes of unknown phase" : group.Key + " passes";
            var ramping = true;
            foreach (var i in members)
            {
                var ratio = wallUs[i] / median;
                var what = string.Create(CultureInfo.InvariantCulture,
                    $"wall {wallUs[i] / 1000:0.###} ms is {ratio:0.##}x the median of {members.Count} {label} ({median / 1000:0.###} ms)");
                if (ramping && ratio > RampFactor)
                {
                    verdicts[i] = new OutlierVerdict(true, "ramp-up: " + what + ", before the steady window");
                    continue;
                }
                ramping = false;
                if (ratio > HighFactor || ratio < LowFactor)
                    verdicts[i] = new OutlierVerdict(true, "outlier: " + what);
            }
        }
        return verdicts;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); sorts them in place.</summary>
    internal static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
