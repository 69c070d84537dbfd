using System.Runtime.CompilerServices;
namespace LlmPipeline.Analysis.Segmentation;

/// <summary>Totals of a contiguous kernel index range (kernels sorted by start).</summary>
internal readonly record struct RangeTotals(long StartNs, long EndNs, long SumNs, long BusyNs, long ExposedCommNs, int Count, int CommCount)
{
    public long WallNs => EndNs - StartNs;
}

internal static class RangeStats
{
    /// <summary>
    /// wall/sum/busy/exposed-comm of kernels [from, to), only those <paramref name="include"/> accepts when it is
    /// given; <paramref name="isComm"/> tells the comm group per kernel. One sweep in start order, no allocation: the
    /// exposed comm time |C \ O| (C the union of the comm kernels' intervals, O that of the others) is
    /// |C ∪ O| − |O|, the busy union of all kernels less the busy union of the non-comm ones, exact in ns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static RangeTotals Compute(KernelSequence k, int from, int to, Func<int, bool> isComm, Func<int, bool>? include = null)
    {
        if (include is not null)
        {
            while (from < to && !include(from)) from++;
            while (to > from && !include(to - 1)) to--;
        }
        if (to <= from) return default;
        long start = k.StartNs[from], end = long.MinValue, sum = 0;
        var all = new BusyUnion();
        var other = new BusyUnion();
        var count = 0;
        var commCount = 0;
        for (var i = from; i < to; i++)
        {
            if (include is not null && !include(i)) continue;
            count++;
            var s = k.StartNs[i];
            var d = k.DurNs[i];
            var e = s + d;
            sum += d;
            if (e > end) end = e;
            all.Add(s, e);
            if (isComm(i)) commCount++;
            else other.Add(s, e);
        }
        var busy = all.TotalNs;
        var exposed = commCount > 0 ? busy - other.TotalNs : 0;
        return new RangeTotals(start, end, sum, busy, exposed, count, commCount);
    }
}
