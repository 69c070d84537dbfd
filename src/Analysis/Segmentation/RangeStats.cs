using System.Runtime.CompilerServices;
namespace LlmPipeline.Analysis.Segmentation;

/// <summary>Totals of a contiguous kernel index range (kernels sorted by start).</summary>
internal readonly record struct RangeTotals(long StartNs, long EndNs, long SumNs, long BusyNs, long ExposedCommNs, int Count, int CommCount)
{
    public long WallNs => EndNs - StartNs;
}

internal static class RangeStats
{
    /// <summary>wall/sum/busy/exposed-comm of kernels [from, to), only those <paramref name="include"/> accepts when it is given. isComm tells the comm group per kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static RangeTotals Compute(KernelSequence k, int from, int to, Func<int, bool> isComm, Func<int, bool>? include = null)
    {
        if (include is not null)
        {
            while (from < to && !include(from)) from++;
            while (to > from && !include(to - 1)) to--;
        }
        if (to <= from) return default;
        long start = k.StartNs[from], end = long.MinValue, sum = 0, busy = 0;
        var count = 0;
        long curS = 0, curE = long.MinValue;
        var commCount = 0;
        List<(long S, long E)>? comm = null;
        List<(long S, long E)>? other = null;
        for (var i = from; i < to; i++)
        {
            if (include is not null && !include(i)) continue;
            count++;
            var s = k.StartNs[i];
            var e = s + k.DurNs[i];
            sum += k.DurNs[i];
            if (e > end) end = e;
            if (s > curE)
            {
                if (curE > long.MinValue) busy += curE - curS;
                curS = s; curE = e;
            }
            else if (e > curE) curE = e;
            if (isComm(i))
            {
                commCount++;
                (comm ??= []).Add((s, e));
            }
            else
            {
                (other ??= []).Add((s, e));
            }
        }
        if (curE > long.MinValue) busy += curE - curS;
        long exposed = 0;
        if (comm is not null)
        {
            var c = Merge(comm);
            var o = other is null ? [] : Merge(other);
            var j = 0;
            foreach (var (cs, ce) in c)
            {
                var covered = 0L;
                while (j < o.Count && o[j].E <= cs) j++;
                for (var t = j; t < o.Count && o[t].S < ce; t++)
                {
                    var a = Math.Max(cs, o[t].S);
                    var b = Math.Min(ce, o[t].E);
                    if (b > a) covered += b - a;
                }
                exposed += ce - cs - covered;
            }
        }
        return new RangeTotals(start, end, sum, busy, exposed, count, commCount);
    }

    /// <summary>Union of intervals given in start order, as disjoint sorted intervals.</summary>
    private static List<(long S, long E)> Merge(List<(long S, long E)> sortedByStart)
    {
        var result = new List<(long S, long E)>();
        foreach (var (s, e) in sortedByStart)
        {
            if (result.Count > 0 && s <= result[^1].E)
            {
                if (e > result[^1].E) result[^1] = (result[^1].S, e);
            }
            else result.Add((s, e));
        }
        return result;
    }
}
