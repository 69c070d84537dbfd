using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmPipeline.Ingest.Ranks;

/// <summary>
/// Turns the merged-trace rank labels of one file (<c>[TP01-DP00-PP00-EP00]</c>, see <see cref="RankPrefix"/>;
/// sgl-project/sglang#11413, docs/messy-traces.md, B24) into rank numbers.
/// </summary>
/// <remarks>
/// The dimensions are read in the order they are written, the first varying fastest (TP, then DP, PP, EP as SGLang
/// writes them): rank = n₀ + s₀ × (n₁ + s₁ × (n₂ + ...)), where sᵢ is one more than the largest number of dimension
/// i among the file's labels; a dimension missing from a label counts as 0. When every dimension but the first is 0,
/// the rank is simply the first number (the TP number). Should two labels still map to one rank (e.g. <c>[TP1]</c>
/// and <c>[TP01]</c>), every label gets its ordinal in that order instead.
/// </remarks>
public static partial class RankLabels
{
    [GeneratedRegex(@"([A-Za-z]+)(\d+)")]
    private static partial Regex Group();

    /// <summary>Rank of each label, and the sentence saying how it was derived.</summary>
    /// <param name="labels">Distinct labels as written, brackets included (e.g. <c>[TP01-DP00-PP00-EP00]</c>).</param>
    /// <returns>One rank per label (same order) and the evidence sentence.</returns>
    public static (long[] Ranks, string Evidence) Assign(IReadOnlyList<string> labels)
    {
        var dims = new List<string>();
        var parsed = labels.Select(l =>
        {
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (Match m in Group().Matches(l))
            {
                var dim = m.Groups[1].Value.ToUpperInvariant();
                if (!dims.Contains(dim)) dims.Add(dim);
                values[dim] = long.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
            }
            return values;
        }).ToList();
        var sizes = dims.Select(d => parsed.Max(p => p.GetValueOrDefault(d)) + 1).ToList();
        var ranks = parsed.Select(p =>
        {
            long rank = 0;
            for (var i = dims.Count - 1; i >= 0; i--) rank = rank * sizes[i] + p.GetValueOrDefault(dims[i]);
            return rank;
        }).ToArray();
        var first = dims.Count > 0 ? dims[0] : "rank";
        if (ranks.Distinct().Count() != ranks.Length)
        {
            var order = Enumerable.Range(0, labels.Count).OrderBy(i => ranks[i]).ThenBy(i => labels[i], StringComparer.Ordinal).ToList();
            return (Enumerable.Range(0, labels.Count).Select(i => (long)order.IndexOf(i)).ToArray(),
                "the label's position among the file's labels ordered by their numbers (two labels give the same numbers)");
        }
        if (dims.Count <= 1 || parsed.All(p => dims.Skip(1).All(d => p.GetValueOrDefault(d) == 0)))
            return (ranks, $"the label's {first} number");
        var formula = dims[0];
        for (var i = 1; i < dims.Count; i++)
            formula += $" + {string.Join(" x ", sizes.Take(i).Select(s => s.ToString(CultureInfo.InvariantCulture)))} x {dims[i]}";
        return (ranks, $"the label's full rank {formula} (TP varies fastest)");
    }
}
