using System.Runtime.CompilerServices;
using LlmPipeline.Analysis.Categories;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// Anchor auto-detection (docs/segmentation.md, "The anchor"). A kernel name is a candidate when its
/// occurrences (every one, or every second one for a twice-per-layer kernel) are regularly spaced: each spacing,
/// counted in kernels, is within 10 % of the previous one, over runs of at least three consecutive spacings.
/// Ranking: widest coverage (within 10 % of the widest counts as equal), then (when the layer count N is known) a count that is a whole number of passes,
/// then once-per-layer before twice-per-layer, then attention before other groups (every transformer layer has one
/// attention), then higher regularity (compared to 0.01), then the earliest first occurrence. With N known, a candidate is kept only when it occurs at least
/// N times (per layer unit) and none of its regular runs is longer than one pass (N occurrences per layer unit).
/// Runs in O(n) time plus O(distinct names) memory besides one int per kernel.
/// </summary>
public static class AnchorDetector
{
    /// <summary>Spacing tolerance relative to the previous spacing.</summary>
    public const double SpacingTolerance = 0.10;

    /// <summary>Candidates whose coverage is at least this fraction of the widest coverage count as equally wide, so
    /// one stray occurrence (an all-reduce after the embedding) does not beat a clean once-per-layer kernel.</summary>
    public const double NearBestCoverage = 0.9;

    /// <summary>Minimum consecutive regular spacings of a run.</summary>
    public const int MinRunSpacings = 3;

    /// <summary>
    /// The anchor candidates of <paramref name="kernels"/>, best first (the first one is what segmentation picks;
    /// <see cref="AnchorCandidate.Chosen"/> is false on all of them here).
    /// </summary>
    /// <param name="kernels">The kernels of one device.</param>
    /// <param name="categorizer">Used for the "attention before other groups" tie-break.</param>
    /// <param name="numLayers">Known layer count (config or <c>--num-layers</c>), or null.</param>
    public static IReadOnlyList<AnchorCandidate> FindCandidates(KernelSequence kernels, KernelCategorizer categorizer, int? numLayers)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(categorizer);
        var ranked = Rank(kernels, categorizer, numLayers, out _);
        return ranked.Select(r => r.Candidate).ToArray();
    }

    internal sealed record Scored(AnchorCandidate Candidate, int NameId, int FirstIdx, bool IsAttention, bool WholePasses, int MaxRun);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    internal static List<Scored> Rank(KernelSequence k, KernelCategorizer categorizer, int? numLayers, out bool filteredByN)
    {
        var names = k.Names.Count;
        var counts = new int[names + 1];
        foreach (var id in k.NameId) counts[id + 1]++;
        var offsets = new int[names + 1];
        for (var i = 0; i < names; i++) offsets[i + 1] = offsets[i] + counts[i + 1];
        var positions = new int[k.Count];
        var fill = (int[])offsets.Clone();
        for (var i = 0; i < k.Count; i++) positions[fill[k.NameId[i]]++] = i;

        var all = new List<Scored>();
        for (var id = 0; id < names; id++)
        {
            var c = offsets[id + 1] - offsets[id];
            if (c < MinRunSpacings + 1) continue;
            var start = offsets[id];
            var once = Analyze(positions, start, c, 1, 0);
            var best = (Stats: once, PerLayer: 1);
            if (c >= 2 * (MinRunSpacings + 1))
            {
                var even = Analyze(positions, start, c, 2, 0);
                var odd = Analyze(positions, start, c, 2, 1);
                var twice = even.Coverage >= odd.Coverage ? even : odd;
                if (twice.Coverage > once.Coverage) best = (twice, 2);
            }
            if (best.Stats.Coverage == 0) continue;
            var name = k.Names[id];
            var isAttn = categorizer.Categorize(name).Group == "attention";
            var whole = numLayers is { } n0 && n0 > 0 && c % (n0 * best.PerLayer) == 0;
            all.Add(new Scored(
                new AnchorCandidate(name, c, best.PerLayer, Math.Round(best.Stats.Regularity, 4), best.Stats.Coverage,
                    best.Stats.ImpliedLayers, false),
                id, positions[start], isAttn, whole, best.Stats.MaxRun));
        }

        filteredByN = false;
        IEnumerable<Scored> pool = all;
        if (numLayers is { } n && n > 0)
        {
            var valid = all.Where(s => s.Candidate.Occurrences / s.Candidate.PerLayer >= n && s.MaxRun <= n).ToList();
            if (valid.Count > 0)
            {
                pool = valid;
                filteredByN = true;
            }
        }
        var list = pool.ToList();
        var widest = list.Count == 0 ? 0 : list.Max(s => s.Candidate.Coverage);
        return list
            .OrderByDescending(s => s.Candidate.Coverage >= NearBestCoverage * widest)
            .ThenByDescending(s => s.WholePasses)
            .ThenBy(s => s.Candidate.PerLayer)
            // Every transformer layer has one attention; a kernel of some layer types only (an MoE GEMM absent from
            // the dense layers) can be more regular but does not mark every layer.
            .ThenByDescending(s => s.IsAttention)
            .ThenByDescending(s => Math.Round(s.Candidate.Regularity, 2))
            .ThenBy(s => s.FirstIdx)
            .ThenByDescending(s => s.Candidate.Coverage)
            .ToList();
    }

    internal readonly record struct RunStats(double Coverage, double Regularity, int MaxRun, int? ImpliedLayers);

    /// <summary>Regularity statistics of every <paramref name="stride"/>-th position starting at <paramref name="phase"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    internal static RunStats Analyze(int[] positions, int offset, int count, int stride, int phase)
    {
        var m = (count - phase + stride - 1) / stride; // elements
        if (m < MinRunSpacings + 1) return new RunStats(0, 0, 0, null);
        int El(int i) => positions[offset + phase + i * stride];
        var comparisons = m - 2;
        var regular = 0;
        var covered = 0;
        var maxRun = 0;
        var runLengths = new Dictionary<int, int>();
        var runSpacings = 1; // spacings in the current chain (spacing 0 starts it)
        for (var i = 1; i < m - 1; i++)
        {
            long prev = El(i) - El(i - 1);
            long cur = El(i + 1) - El(i);
            if (Math.Abs(cur - prev) <= SpacingTolerance * prev)
            {
                regular++;
                runSpacings++;
            }
            else
            {
                Close(runSpacings);
                runSpacings = 1;
            }
        }
        Close(runSpacings);
        var implied = runLengths.Where(kv => kv.Value >= 2).OrderByDescending(kv => kv.Value).ThenByDescending(kv => kv.Key)
            .Select(kv => (int?)kv.Key).FirstOrDefault();
        return new RunStats(covered, comparisons > 0 ? (double)regular / comparisons : 0, maxRun, implied);

        void Close(int spacings)
        {
            if (spacings < MinRunSpacings) return;
            var occ = spacings + 1;
            covered += occ;
            if (occ > maxRun) maxRun = occ;
            runLengths[occ] = runLengths.GetValueOrDefault(occ) + 1;
        }
    }
}
