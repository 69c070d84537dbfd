using System.Globalization;
using System.Runtime.CompilerServices;
using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Names;
using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>Layer boundaries at the model's own layer starts (see <see cref="LayerStarts"/>).</summary>
internal sealed partial class SegmentationEngine
{
    private LayerEvidence _evidence = LayerEvidence.Anchor;
    private string _evidenceDetail = "layers cut at the anchor";
    private int _normsBeforeAnchor;

    /// <summary>
    /// Places every layer of every pass (one anchor block per layer): layer k starts at the c-th norm start before
    /// anchor k (c from the passes' own prologues, see <see cref="LayerStarts"/>), or, in a model with no recognisable
    /// normalization kernel, at the offset before the anchor where the kernel sequence of the first layer stops
    /// repeating the others'. The last layer of a pass ends where its kernel sequence stops matching that of the
    /// previous layers of the pass (an opening anchor), or at its anchor (a closing one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private void PlaceLayers(List<PassPlan> plans, int[] a, AnchorRole role, int[] splitLimit, int traceStartLimit, int traceEndLimit)
    {
        var c = NormsBeforeAnchor(plans, a, splitLimit, traceStartLimit);
        _normsBeforeAnchor = c;
        var offset = c > 0 ? 0 : TemplateOffset(plans, a, splitLimit, traceStartLimit);
        var startNames = c > 0 || _layerStartPattern is null ? null
            : _k.Names.Select(n => n.Contains(_layerStartPattern, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (startNames is not null && !startNames.Any(x => x)) startNames = null;
        if (c > 0)
        {
            _evidence = LayerEvidence.Template;
            _evidenceDetail = string.Create(CultureInfo.InvariantCulture,
                $"each layer starts at its input norm: the {Ordinal(c)} normalization kernel before the anchor, as in the first layer of the passes");
        }
        else if (startNames is not null)
        {
            _evidence = LayerEvidence.ProfilePattern;
            _evidenceDetail = $"no normalization kernel found; each layer starts at the last kernel matching the profile's layer_start_kernel '{_layerStartPattern}' before its anchor";
        }
        else if (offset > 0)
        {
            _evidence = LayerEvidence.Template;
            _evidenceDetail = string.Create(CultureInfo.InvariantCulture,
                $"no normalization kernel found; each layer starts {offset} kernel(s) before its anchor, where the first layer's kernel sequence begins after the prologue");
        }

        var modules = _k.LayerModule;
        var byModule = 0;
        var blocksTotal = 0;

        int StartOf(int k, int floor)
        {
            var after = k > 0 ? a[k - 1] : -1;
            blocksTotal++;
            if (modules is not null && modules[a[k]] >= 0)
            {
                // Module scopes: the layer starts at its first kernel inside the anchor's own decoder-layer module.
                for (var j = after + 1; j <= a[k]; j++)
                    if (modules[j] == modules[a[k]]) { byModule++; return j; }
            }
            if (startNames is not null)
            {
                for (var j = a[k]; j > after; j--)
                    if (startNames[_k.NameId[j]]) return j;
                return a[k];
            }
            if (c <= 0) return Math.Max(Math.Max(after + 1, floor), a[k] - offset);
            var s = _layerStarts.NthFromEnd(after, a[k], c);
            return s >= 0 ? s : -1;
        }

        for (var i = 0; i < plans.Count; i++)
        {
            var p = plans[i];
            var blocks = p.LastAnchor - p.FirstAnchor + 1;
            var starts = new int[blocks];
            var floor = i == 0 ? traceStartLimit : splitLimit[i];
            for (var b = 0; b < blocks; b++)
            {
                var k = p.FirstAnchor + b;
                var s = StartOf(k, b == 0 ? floor : 0);
                if (s < 0)
                {
                    // Fewer norms than a layer has before its anchor: the trace starts inside this layer (a partial
                    // pass), or the layer lacks its norm; it starts where the pass's range allows.
                    var after = k > 0 ? a[k - 1] : -1;
                    s = b == 0 && p.IsPartial && p.BlockOffset > 0
                        ? Math.Min(floor, a[k])
                        : Math.Max(after + 1, Math.Min(_layerStarts.NthFromEnd(after, a[k], 1) is var last and >= 0 ? last : a[k], a[k]));
                }
                starts[b] = s;
            }
            p.Starts = starts;
            p.LayerStart = starts[0];
        }

        if (byModule > 0)
        {
            _evidence = LayerEvidence.ModuleScopes;
            _evidenceDetail = byModule == blocksTotal
                ? string.Create(CultureInfo.InvariantCulture, $"each layer starts at the first kernel of its decoder-layer module (nn.Module scopes, {byModule} layers)")
                : string.Create(CultureInfo.InvariantCulture, $"{byModule} of {blocksTotal} layers start at the first kernel of their decoder-layer module (nn.Module scopes); the others at their input norm ({_evidenceDetail})");
        }

        for (var i = 0; i < plans.Count; i++)
        {
            var p = plans[i];
            var last = p.LastAnchor;
            if (modules is not null && modules[a[last]] >= 0)
            {
                // Module scopes: the last layer ends after the last kernel of its decoder-layer module.
                var lim = p.ExtraCount > 0 ? a[p.ExtraAfter] : i + 1 < plans.Count ? Math.Min(splitLimit[i + 1], plans[i + 1].LayerStart) : traceEndLimit;
                var end = a[last] + 1;
                for (var j = a[last] + 1; j < lim; j++)
                    if (modules[j] == modules[a[last]]) end = j + 1;
                p.LayerEnd = end;
                continue;
            }
            if (role == AnchorRole.Closes)
            {
                p.LayerEnd = a[last] + 1;
                continue;
            }
            int limit;
            if (p.ExtraCount > 0) limit = a[p.ExtraAfter];
            else if (i + 1 < plans.Count) limit = Math.Min(splitLimit[i + 1], plans[i + 1].LayerStart);
            else limit = traceEndLimit;
            limit = Math.Max(limit, a[last] + 1);
            p.LayerEnd = SequenceEnd(p.Starts![^1], a[last], limit, ReferenceLayers(plans, i));
        }
    }

    /// <summary>
    /// Norm starts of a layer up to its anchor: the most common count, over complete passes, of norm starts between
    /// the pass's start (after the idle gap that opens it) and its first anchor; 0 when no pass has one.
    /// </summary>
    private int NormsBeforeAnchor(List<PassPlan> plans, int[] a, int[] splitLimit, int traceStartLimit)
    {
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < plans.Count; i++)
        {
            var p = plans[i];
            if (p.IsPartial && plans.Count > 1) continue;
            var floor = i == 0 ? traceStartLimit : splitLimit[i];
            var n = _layerStarts.Count(floor - 1, a[p.FirstAnchor]);
            if (n > 0) counts[n] = counts.GetValueOrDefault(n) + 1;
        }
        if (counts.Count == 0) return 0;
        var c = counts.OrderByDescending(x => x.Value).ThenBy(x => x.Key).First().Key;
        // A layer never has more norms before its anchor than lie between two consecutive anchors.
        var min = int.MaxValue;
        foreach (var p in plans)
            for (var k = p.FirstAnchor + 1; k <= p.LastAnchor; k++)
                min = Math.Min(min, _layerStarts.Count(a[k - 1], a[k]));
        return min == int.MaxValue ? c : Math.Min(c, min);
    }

    /// <summary>
    /// Kernels of the first layer before its anchor, read from the kernel sequence alone: how far back from the first
    /// anchor of the first complete pass the categories repeat those before its second anchor (the prologue ends
    /// where they stop repeating).
    /// </summary>
    private int TemplateOffset(List<PassPlan> plans, int[] a, int[] splitLimit, int traceStartLimit)
    {
        for (var i = 0; i < plans.Count; i++)
        {
            var p = plans[i];
            if (p.IsPartial || p.LastAnchor == p.FirstAnchor) continue;
            var f = a[p.FirstAnchor];
            var period = a[p.FirstAnchor + 1] - f;
            var floor = i == 0 ? traceStartLimit : splitLimit[i];
            var m = 0;
            while (m + 1 < period && f - m - 1 >= floor && Rule(f - m - 1) == Rule(f + period - m - 1)) m++;
            return m;
        }
        return 0;
    }

    /// <summary>Up to two layer ranges [from, to) to compare a pass's last layer with: the layers before it in the
    /// pass, else the last layers of an earlier pass, else the first of a later one.</summary>
    private static List<(int From, int To)> ReferenceLayers(List<PassPlan> plans, int i)
    {
        var refs = new List<(int, int)>();
        var s = plans[i].Starts!;
        for (var b = s.Length - 2; b >= 0 && refs.Count < 2; b--) refs.Add((s[b], s[b + 1]));
        for (var j = i - 1; j >= 0 && refs.Count < 2; j--)
        {
            var t = plans[j].Starts!;
            for (var b = t.Length - 2; b >= 0 && refs.Count < 2; b--) refs.Add((t[b], t[b + 1]));
        }
        for (var j = i + 1; j < plans.Count && refs.Count < 2; j++)
        {
            var t = plans[j].Starts!;
            for (var b = 0; b + 1 < t.Length && refs.Count < 2; b++) refs.Add((t[b], t[b + 1]));
        }
        return refs;
    }

    /// <summary>
    /// End (exclusive) of a layer that starts at <paramref name="start"/> and is followed by no layer: as far as its
    /// categories repeat one of <paramref name="refs"/> (at most that layer's length), never before the anchor's end
    /// nor past <paramref name="limit"/>. With no reference layer, up to the last norm start before the limit when
    /// the anchor is followed by two or more (the final norm then opens the epilogue), else the limit.
    /// </summary>
    private int SequenceEnd(int start, int anchor, int limit, List<(int From, int To)> refs)
    {
        var best = -1;
        foreach (var (from, to) in refs)
        {
            var len = to - from;
            var m = 0;
            while (m < len && start + m < limit && Rule(start + m) == Rule(from + m)) m++;
            best = Math.Max(best, m);
        }
        int end;
        if (best >= 0) end = start + best;
        else if (_layerStarts.Count(anchor, limit - 1) >= 2) end = _layerStarts.LastBefore(anchor, limit);
        else end = limit;
        return Math.Min(Math.Max(end, anchor + 1), Math.Max(limit, anchor + 1));
    }

    /// <summary>
    /// MTP / draft blocks after a pass's layers. Each block's layer starts at its input norm like any layer; the block
    /// itself starts earlier, at its head: the first normalization after the lm_head GEMM that follows the previous
    /// layer (the main model's last layer, or the previous block's), so that the main epilogue (final norm, lm_head,
    /// sampling) stays the pass's and the block's own embedding norms and projection (DeepSeek's enorm, hnorm, eh_proj)
    /// are the block's. Each block runs to the next block's head; the last one to the end of the pass (its own norm,
    /// lm_head and sampling).
    /// </summary>
    private void ExtraLayers(PassPlan p, List<PassPlan> plans, int[] a, AnchorRole role, int limit)
    {
        var n = p.ExtraCount;
        p.ExtraFrom = new int[n];
        p.ExtraTo = new int[n];
        var c = _normsBeforeAnchor;
        var layerStart = new int[n];
        for (var e = 0; e < n; e++)
        {
            var k = p.ExtraAfter + e;
            var s = c > 0 ? _layerStarts.NthFromEnd(a[k - 1], a[k], c) : -1;
            layerStart[e] = s >= 0 ? s : a[k];
        }
        var refs = new List<(int, int)>();
        var st = p.Starts!;
        if (st.Length >= 2) refs.Add((st[^2], st[^1]));
        refs.Add((st[^1], p.LayerEnd));
        var previousEnd = p.LayerEnd;
        for (var e = 0; e < n; e++)
        {
            var k = p.ExtraAfter + e;
            p.ExtraFrom[e] = BlockHead(previousEnd, layerStart[e]);
            var next = e + 1 < n ? layerStart[e + 1] : Math.Max(limit, a[k] + 1);
            var end = role == AnchorRole.Closes ? a[k] + 1 : SequenceEnd(layerStart[e], a[k], next, refs);
            p.ExtraTo[e] = end;
            previousEnd = end;
        }
        for (var e = 0; e + 1 < n; e++) p.ExtraTo[e] = p.ExtraFrom[e + 1];
    }

    /// <summary>The first norm start after the first GEMM at or after <paramref name="from"/>, before
    /// <paramref name="layerStart"/>; <paramref name="layerStart"/> itself when there is none.</summary>
    private int BlockHead(int from, int layerStart)
    {
        var j = from;
        while (j < layerStart && !_gemmName[_k.NameId[j]]) j++;
        for (j++; j < layerStart; j++)
            if (_layerStarts.IsNormStart(j)) return j;
        return layerStart;
    }

    /// <summary>
    /// Kernels after the last layer of a pass that the trace ends inside of, when all of them repeat the start of a
    /// layer (the first layer of the pass, else of the previous pass) by category: the beginning of a layer whose anchor
    /// the trace did not reach. 0 when they do not (an epilogue).
    /// </summary>
    private int TrailingLayerHead(PassPlan p, List<PassPlan> plans)
    {
        if (p.Starts is null) return 0;
        var count = p.RangeEnd - p.LayerEnd;
        if (count <= 0) return 0;
        (int From, int To)? reference = p.Starts.Length >= 2 ? (p.Starts[0], p.Starts[1]) : null;
        for (var i = plans.Count - 2; reference is null && i >= 0; i--)
            if (plans[i].Starts is { Length: >= 2 } t) reference = (t[0], t[1]);
        if (reference is not { } r || r.To - r.From < count) return 0;
        for (var m = 0; m < count; m++)
            if (Rule(p.LayerEnd + m) != Rule(r.From + m)) return 0;
        return count;
    }

    /// <summary>
    /// Kernels before the first layer of a pass that the trace starts inside of, when all of them repeat the end of a
    /// layer (the last complete layer of the pass, else of the next pass) by category: the end of a layer whose anchor
    /// lies before the trace start. 0 when they do not (a prologue).
    /// </summary>
    private int LeadingLayerTail(PassPlan p, List<PassPlan> plans)
    {
        if (p.Starts is not { Length: >= 1 }) return 0;
        var count = p.LayerStart - p.RangeStart;
        if (count <= 0) return 0;
        (int From, int To)? reference = p.Starts.Length >= 2 ? (p.Starts[^2], p.Starts[^1]) : null;
        for (var i = 1; reference is null && i < plans.Count; i++)
            if (plans[i].Starts is { Length: >= 2 } t) reference = (t[0], t[1]);
        if (reference is not { } r || r.To - r.From < count) return 0;
        for (var m = 1; m <= count; m++)
            if (Rule(p.LayerStart - m) != Rule(r.To - m)) return 0;
        return count;
    }

    /// <summary>
    /// Where a step ends and the next begins among kernels [<paramref name="from"/>, <paramref name="to"/>]: at the
    /// largest GPU idle gap when it stands out as a step gap (see <see cref="StepGapThreshold"/>); when steps run back
    /// to back, right after the last sampling kernel (argmax, top-k, sampler: the end of a step's epilogue); else at the
    /// largest gap anyway. Returns the first kernel of the later step.
    /// </summary>
    private int StepSplit(int from, int to)
    {
        var g = IdleGaps.ArgMax(_gap, from, to);
        if (g < 0) return to;
        if (_gap[g] >= _stepGapNs) return g;
        for (var j = to - 1; j >= from; j--)
            if (_samplingName[_k.NameId[j]]) return j + 1;
        return g;
    }

    /// <summary>An idle gap at least this long separates steps: 10x the median gap between kernels, and 20 us.</summary>
    private static long StepGapThreshold(long[] gap)
    {
        return Math.Max(10 * UpperMedian.Of((long[])gap.Clone()), 20_000L);
    }

    /// <summary>
    /// A training step's backward kernels are never part of a forward layer: inside a pass, every kernel launched by
    /// an autograd backward operator, or whose name says backward (<c>bwd</c>, <c>backward</c>, <c>dgrad</c>,
    /// <c>wgrad</c>), gets the role <see cref="KernelRole.Backward"/> and no layer. Runs before the layer totals are
    /// summed, so a layer's totals hold its forward kernels only.
    /// </summary>
    /// <returns>Whether any kernel of [<paramref name="from"/>, <paramref name="to"/>) is a backward kernel.</returns>
    private bool MarkBackward(int from, int to)
    {
        _backwardName ??= _k.Names.Select(n => BackwardName.IsMatch(n)).ToArray();
        var byOp = _k.LaunchedByBackward;
        var any = false;
        for (var i = Math.Max(from, 0); i < to && i < _n; i++)
        {
            if (_pass[i] < 0 || !(_backwardName[_k.NameId[i]] || (byOp is not null && byOp[i]))) continue;
            any = true;
            _role[i] = KernelRole.Backward;
            _layer[i] = -1;
            _block[i] = -1;
            _half[i] = -1;
        }
        return any;
    }

    private bool[]? _backwardName;

    private static readonly System.Text.RegularExpressions.Regex BackwardName = new(
        @"bwd|backward|dgrad|wgrad", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Whether any kernel placed in a layer is an attention kernel (category group <c>attention</c>).</summary>
    private bool AttentionInLayers(KernelCategorizer categorizer)
    {
        var attention = _k.Names.Select(n => categorizer.Categorize(n).Group == "attention").ToArray();
        for (var i = 0; i < _n; i++)
            if (_role[i] == KernelRole.Layer && attention[_k.NameId[i]]) return true;
        return false;
    }

    /// <summary>
    /// A trace without transformer structure (a CNN, a recommendation model, a DDP training step: the auto-detected
    /// anchor's period holds no attention kernel) gets no invented layers: its passes (the periods of the anchor that
    /// recur once per step) are kept, their kernels get no layer and no role, and the run says so.
    /// </summary>
    private SegmentationResult WithoutLayers(SegmentationResult r)
    {
        for (var i = 0; i < _n; i++)
        {
            if (_pass[i] < 0) continue;
            _layer[i] = -1;
            _block[i] = -1;
            _half[i] = -1;
            if (_role[i] != KernelRole.Backward) _role[i] = KernelRole.None;
        }
        const string why = "no transformer layer structure found: the kernel that recurs regularly has no attention kernel in its period, so no layers were made";
        var warnings = r.Warnings.Where(w => w.Kind != WarningCatalog.PartialPass && w.Kind != WarningCatalog.ExtraAnchors).Append(new SegmentationWarning(WarningCatalog.NoLayerStructure,
            $"No transformer layer structure found: the anchor auto-detected from its regular recurrence ('{NameSimplifier.Simplify(r.Anchor.Pattern ?? "")}') has no attention kernel in its period (a CNN or another non-transformer model), so passes are kept and no layers were made.")).ToList();
        return r with
        {
            Passes = r.Passes.Select(p => p with { LayerCount = 0, Note = null }).ToList(), Layers = [],
            NumLayers = 0, NumLayersSource = why, Warnings = warnings, Evidence = LayerEvidence.None, EvidenceDetail = why,
            Parts = PassParts.Build(_k, _pass, _layer, _role),
        };
    }

    private static string Ordinal(int c) => c switch
    {
        1 => "last",
        2 => "second-to-last",
        3 => "third-from-last",
        _ => c.ToString(CultureInfo.InvariantCulture) + "th-from-last",
    };
}
