using System.Globalization;
using System.Runtime.CompilerServices;
using LlmPipeline.Analysis.Names;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// Detects the layer count from the trace (docs/segmentation.md, section 1): the anchors between consecutive occurrences of a
/// once-per-step kernel (embedding, lm_head, sampling: a kernel that sits outside the regular layer spacing and
/// recurs every D anchors), divided by blocks per layer; else the anchors between the idle gaps that stand out
/// between steps; else, when the anchors form two or three regular runs split by long intervals (a step boundary in
/// a window too short for the first two rules), the longest run; else, when they form one regular run, all anchors
/// as one pass.
/// </summary>
internal static class LayerCountDetector
{
    /// <summary>An interval between anchors more than this many times the median spacing is a step boundary in rule 3.</summary>
    private const double LongInterval = 1.3;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static (int? Layers, string Source, bool FromSteps) Detect(KernelSequence k, int[] anchors, int bpl, long[] gap, HashSet<int> anchorNameIds, bool[] sampling, bool cutShort = false)
    {
        var a = anchors.Length;
        if (a < 2 * bpl) return (null, "too few anchors to detect a layer count", false);
        var spacings = new int[a - 1];
        for (var i = 1; i < a; i++) spacings[i - 1] = anchors[i] - anchors[i - 1];
        var median = Median(spacings.Select(s => (long)s).ToArray());

        bool IntervalRegular(int idx) // interval between anchors[idx-1] and anchors[idx]
        {
            if (idx <= 0 || idx >= a) return false;
            var s = anchors[idx] - anchors[idx - 1];
            return Math.Abs(s - median) <= 0.1 * median;
        }

        // 1. once-per-step kernels
        var best = OncePerStep(k, anchors, bpl, anchorNameIds);
        if (best is { } b)
        {
            var n = WithoutExtraBlocks(b.D / bpl, k, anchors, bpl, sampling);
            return (n, string.Create(CultureInfo.InvariantCulture,
                $"detected: {b.D} anchor blocks between consecutive occurrences of the once-per-step kernel '{NameSimplifier.Simplify(k.Names[b.NameId])}' ({b.Support} occurrences) / {bpl} blocks per layer{Extra(b.D / bpl, n)} = {n} layers"), true);
        }

        // 2. idle gaps that stand out between anchor intervals
        var g = new long[a - 1];
        for (var i = 1; i < a; i++)
        {
            long m = 0;
            for (var j = anchors[i - 1] + 1; j <= anchors[i]; j++) if (gap[j] > m) m = gap[j];
            g[i - 1] = m;
        }
        var gMedian = Median((long[])g.Clone());
        var threshold = Math.Max(10 * gMedian, 20_000L);
        var big = new List<int>();
        for (var i = 0; i < g.Length; i++) if (g[i] >= threshold) big.Add(i + 1); // pass would start at anchor i+1
        if (big.Count >= 2)
        {
            var diffs = new List<int>();
            for (var j = 1; j < big.Count; j++) diffs.Add(big[j] - big[j - 1]);
            var mode = diffs.GroupBy(d => d).OrderByDescending(x => x.Count()).ThenBy(x => x.Key).First();
            if (mode.Count() * 3 >= diffs.Count * 2 && mode.Key >= 2 * bpl && mode.Key % bpl == 0)
            {
                var n = WithoutExtraBlocks(mode.Key / bpl, k, anchors, bpl, sampling);
                return (n, string.Create(CultureInfo.InvariantCulture,
                    $"detected: {mode.Key} anchor blocks between the idle gaps of at least {threshold / 1000.0:0.#} us that separate steps / {bpl} blocks per layer{Extra(mode.Key / bpl, n)} = {n} layers"), true);
            }
        }
        else if (big.Count == 1)
        {
            // Two steps around one idle gap (a pipeline stage's two steps, with no embedding or lm_head to count by):
            // equal halves are two whole steps. Unequal halves say nothing here (a stall inside a pass, or a window
            // that cuts a step: rule 3 looks at those).
            var left = big[0];
            var right = a - big[0];
            var d = left;
            if (left == right && d >= 2 * bpl && d % bpl == 0)
            {
                var n = d / bpl;
                return (WithoutExtraBlocks(n, k, anchors, bpl, sampling), string.Create(CultureInfo.InvariantCulture,
                    $"detected: the one idle gap of at least {threshold / 1000.0:0.#} us splits the anchors into steps of {left} and {right} anchor blocks / {bpl} blocks per layer = {n} layers"), true);
            }
        }

        // 3. one regular run of anchors: one pass; or, in a short window, two or three regular runs split by one or two
        // long intervals: a step boundary (lm_head, sampling, embedding between the last layer of one pass and the
        // first of the next: an interval of 63 kernels against 42 per layer on the H100 Qwen1.5 trace, 64 against 43
        // on the MI300X one) that occurs too rarely for rules 1 and 2.
        var regular = 0;
        var boundaries = new List<int>(); // anchor index that starts a run after a long interval
        for (var i = 1; i < a; i++)
        {
            if (IntervalRegular(i)) regular++;
            else if (anchors[i] - anchors[i - 1] > LongInterval * median) boundaries.Add(i);
        }
        if (boundaries.Count is 1 or 2 && regular >= 0.9 * (a - 1 - boundaries.Count))
        {
            var runs = new List<int>();
            var start = 0;
            foreach (var bIdx in boundaries.Append(a))
            {
                runs.Add(bIdx - start);
                start = bIdx;
            }
            // A file cut short ends inside its last step: that run of anchors is no whole step.
            if (cutShort) runs.RemoveAt(runs.Count - 1);
            var longest = runs.Count == 0 ? 0 : runs.Max();
            // With the last run cut, one run left may itself be a window's partial first step: no whole step is known.
            if (longest >= 2 * bpl && longest % bpl == 0 && (!cutShort || runs.Count >= 2))
            {
                var n = longest / bpl;
                return (n, string.Create(CultureInfo.InvariantCulture,
                    $"detected: the {a} anchors form {runs.Count} regular runs ({string.Join(", ", runs)} anchors) split by {(boundaries.Count == 1 ? "an interval" : "intervals")} over {LongInterval}x the median spacing (a step boundary); the longest run / {bpl} blocks per layer = {n} layers, the shorter ones partial passes"), false);
            }
        }
        if (!cutShort && regular >= 0.9 * (a - 1) && a % bpl == 0)
        {
            var n = a / bpl;
            return (n, string.Create(CultureInfo.InvariantCulture,
                $"detected: the {a} anchors form one regular run and no step boundary was found, so one pass of {n} layers"), false);
        }
        return (null, "no once-per-step kernel, step idle gap or single regular run of anchors was found", false);
    }

    /// <summary>
    /// The once-per-step kernel of the trace (embedding, lm_head, sampling): a kernel name, not the anchor, that sits
    /// mostly in irregular anchor intervals and recurs every D anchor blocks (the most common spacing, for at least
    /// two thirds of its occurrences; D at least four layers, since a kernel recurring every layer or two belongs to a
    /// layer type). Null when there is none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int D, int Support, int NameId)? OncePerStep(KernelSequence k, int[] anchors, int bpl, HashSet<int> anchorNameIds)
    {
        var a = anchors.Length;
        if (a < 2) return null;
        var spacings = new long[a - 1];
        for (var i = 1; i < a; i++) spacings[i - 1] = anchors[i] - anchors[i - 1];
        var median = Median(spacings);

        bool IntervalRegular(int idx) // interval between anchors[idx-1] and anchors[idx]
        {
            if (idx <= 0 || idx >= a) return false;
            var s = anchors[idx] - anchors[idx - 1];
            return Math.Abs(s - median) <= 0.1 * median;
        }

        int AnchorsBefore(int kernelIdx)
        {
            var pos = Array.BinarySearch(anchors, kernelIdx);
            return pos >= 0 ? pos : ~pos;
        }

        // 1. once-per-step kernels
        var counts = new int[k.Names.Count];
        foreach (var id in k.NameId) counts[id]++;
        var maxCount = Math.Max(2, a / Math.Max(2 * bpl, 1) + 2);
        var occ = new Dictionary<int, List<int>>();
        for (var i = 0; i < k.Count; i++)
        {
            var id = k.NameId[i];
            if (counts[id] < 2 || counts[id] > maxCount || anchorNameIds.Contains(id)) continue;
            if (!occ.TryGetValue(id, out var list)) occ[id] = list = [];
            list.Add(i);
        }
        (int D, int Support, int NameId)? best = null;
        foreach (var (id, list) in occ)
        {
            var irregular = list.Count(i => !IntervalRegular(AnchorsBefore(i)));
            if (irregular * 3 < list.Count * 2) continue;
            var diffs = new List<int>(list.Count - 1);
            for (var j = 1; j < list.Count; j++) diffs.Add(AnchorsBefore(list[j]) - AnchorsBefore(list[j - 1]));
            var mode = diffs.GroupBy(d => d).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First();
            if (mode.Count() * 3 < diffs.Count * 2) continue;
            var d = mode.Key;
            // A kernel that recurs every layer or two belongs to a layer type (DeepSeek-V4's compressed-attention layers
            // alternate), not to the step: a once-per-step kernel recurs every four layers at least.
            if (d < 4 * bpl || d % bpl != 0) continue;
            if (best is null || list.Count > best.Value.Support || (list.Count == best.Value.Support && d < best.Value.D))
                best = (d, list.Count, id);
        }
        return best;
    }

    /// <summary>
    /// The main layers of a step of <paramref name="perStep"/> anchor blocks: when the anchors between consecutive
    /// sampling kernels (argmax, top-k, sampler) alternate between one large count L and small ones (each at most L/4),
    /// the step holds L layers and the small counts are MTP or draft blocks, each with its own lm_head and sampling
    /// (DeepSeek-V3's MTP layer, speculative draft steps); else <paramref name="perStep"/>.
    /// </summary>
    private static int WithoutExtraBlocks(int perStep, KernelSequence k, int[] anchors, int bpl, bool[] sampling)
    {
        var at = new SortedSet<int>();
        for (var i = 0; i < k.Count; i++)
        {
            if (!sampling[k.NameId[i]]) continue;
            var pos = Array.BinarySearch(anchors, i);
            at.Add(pos >= 0 ? pos : ~pos);
        }
        if (at.Count < 2) return perStep;
        var list = at.ToList();
        var diffs = new List<int> { list[0] };
        for (var j = 1; j < list.Count; j++) diffs.Add(list[j] - list[j - 1]);
        var large = diffs.Max();
        if (large >= perStep * bpl || large % bpl != 0 || large < 2 * bpl) return perStep;
        var small = diffs.Where(d => d != large).ToList();
        if (small.Count == 0 || small.Any(d => d * 4 > large) || diffs.Count(d => d == large) < 1) return perStep;
        return large / bpl;
    }

    private static string Extra(int perStep, int layers) => perStep == layers ? "" : string.Create(CultureInfo.InvariantCulture,
        $", of which {perStep - layers} after the step's first sampling kernel (MTP or draft blocks)");

    private static double Median(long[] values) => UpperMedian.Of(values);
}
