using System.Runtime.CompilerServices;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// One part of a forward pass (a row of <c>pass_parts</c>): the prologue, one layer, a gap between layers, the
/// epilogue, or the pass's MTP / draft / backward kernels. The parts of a pass hold each of its kernels once, so they
/// add up to the pass exactly in kernel count and <c>sum</c>; each part's <c>busy</c> is the union of its own kernels'
/// intervals, so parts add up in busy except where kernels of two parts overlap in time.
/// </summary>
/// <param name="PassIdx">Forward pass.</param>
/// <param name="Part"><c>prologue</c>, <c>layer</c>, <c>gap</c>, <c>epilogue</c>, <c>mtp</c>, <c>draft</c>, <c>backward</c>, or
/// <c>unsegmented</c> (a pass of a trace without transformer layer structure).</param>
/// <param name="LayerIdx">The layer of a <c>layer</c> part, else null.</param>
/// <param name="StartNs">Earliest kernel start of the part, ns.</param>
/// <param name="EndNs">Latest kernel end of the part, ns.</param>
/// <param name="SumUs">Σ kernel durations, µs exact to the ns.</param>
/// <param name="BusyUs">Length of the union of the part's kernel intervals, µs.</param>
/// <param name="KernelCount">Kernels in the part.</param>
public sealed record PassPart(int PassIdx, string Part, int? LayerIdx, long StartNs, long EndNs, double SumUs, double BusyUs, int KernelCount);

/// <summary>Builds the <see cref="PassPart"/> rows of a segmentation from its per-kernel pass, layer and role.</summary>
public static class PassParts
{
    /// <summary>
    /// The parts of every pass, ordered by pass then start. A prologue or epilogue kernel that starts after the pass's
    /// first layer kernel and before its last one lies between layers: it forms the <c>gap</c> part.
    /// </summary>
    /// <param name="k">The device's kernels in start order.</param>
    /// <param name="passIdx">Per kernel: pass, or -1.</param>
    /// <param name="layerIdx">Per kernel: layer, or -1.</param>
    /// <param name="role">Per kernel: role.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static IReadOnlyList<PassPart> Build(KernelSequence k, int[] passIdx, int[] layerIdx, KernelRole[] role)
    {
        var firstLayer = new Dictionary<int, int>();
        var lastLayer = new Dictionary<int, int>();
        for (var i = 0; i < k.Count; i++)
        {
            if (role[i] != KernelRole.Layer || passIdx[i] < 0) continue;
            firstLayer.TryAdd(passIdx[i], i);
            lastLayer[passIdx[i]] = i;
        }
        var acc = new Dictionary<(int Pass, PartKind Part, int Layer), Accumulator>();
        // Consecutive kernels mostly share a part: the last one found is tried before the dictionary.
        (int Pass, PartKind Part, int Layer) lastKey = (-1, PartKind.Unsegmented, -1);
        Accumulator? last = null;
        int gapFrom = -1, gapTo = -1, gapPass = -1;
        for (var i = 0; i < k.Count; i++)
        {
            var p = passIdx[i];
            if (p < 0) continue;
            if (p != gapPass)
            {
                gapPass = p;
                (gapFrom, gapTo) = firstLayer.TryGetValue(p, out var f) ? (f, lastLayer[p]) : (-1, -1);
            }
            var part = role[i] switch
            {
                KernelRole.Layer => PartKind.Layer,
                KernelRole.Mtp => PartKind.Mtp,
                KernelRole.Draft => PartKind.Draft,
                KernelRole.Backward => PartKind.Backward,
                KernelRole.Prologue or KernelRole.Epilogue when i > gapFrom && i < gapTo => PartKind.Gap,
                KernelRole.Prologue => PartKind.Prologue,
                KernelRole.Epilogue => PartKind.Epilogue,
                _ => PartKind.Unsegmented,
            };
            var key = (p, part, role[i] == KernelRole.Layer ? layerIdx[i] : -1);
            if (last is null || key != lastKey)
            {
                if (!acc.TryGetValue(key, out last)) acc[key] = last = new Accumulator(k.StartNs[i]);
                lastKey = key;
            }
            last.Add(k.StartNs[i], k.DurNs[i]);
        }
        return acc.Select(kv => new PassPart(kv.Key.Pass, PartNames[(int)kv.Key.Part], kv.Key.Layer >= 0 ? kv.Key.Layer : null,
                kv.Value.Start, kv.Value.End, kv.Value.Sum / 1000.0, kv.Value.Busy.TotalNs / 1000.0, kv.Value.Count))
            .OrderBy(x => x.PassIdx).ThenBy(x => x.StartNs).ThenBy(x => x.LayerIdx ?? -1).ToList();
    }

    private enum PartKind : byte { Prologue, Layer, Gap, Epilogue, Mtp, Draft, Backward, Unsegmented }

    /// <summary>The <c>pass_parts.part</c> value of each <see cref="PartKind"/>.</summary>
    private static readonly string[] PartNames = ["prologue", "layer", "gap", "epilogue", "mtp", "draft", "backward", "unsegmented"];

    /// <summary>Running totals of one part; kernels arrive in start order, so the busy union is one sweep.</summary>
    private sealed class Accumulator(long start)
    {
        public readonly long Start = start;
        public long End = long.MinValue;
        public long Sum;
        public int Count;
        public BusyUnion Busy = new();

        public void Add(long s, long dur)
        {
            var e = s + dur;
            Sum += dur;
            Count++;
            if (e > End) End = e;
            Busy.Add(s, e);
        }
    }
}
