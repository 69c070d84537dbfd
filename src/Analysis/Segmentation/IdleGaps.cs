using System.Runtime.CompilerServices;
namespace LlmPipeline.Analysis.Segmentation;

/// <summary>GPU idle time before each kernel: start minus the latest end of every earlier kernel (0 when overlapping).</summary>
internal static class IdleGaps
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static long[] Compute(KernelSequence k)
    {
        var n = k.Count;
        var gap = new long[n];
        long maxEnd = long.MinValue;
        for (var i = 0; i < n; i++)
        {
            var s = k.StartNs[i];
            gap[i] = i == 0 || s <= maxEnd ? 0 : s - maxEnd;
            var e = s + k.DurNs[i];
            if (e > maxEnd) maxEnd = e;
        }
        return gap;
    }

    /// <summary>Index in [from, to] of the largest gap (first on ties), or -1 when the range is empty.</summary>
    public static int ArgMax(long[] gap, int from, int to)
    {
        var best = -1;
        long bestGap = -1;
        for (var i = Math.Max(from, 0); i <= to && i < gap.Length; i++)
        {
            if (gap[i] > bestGap) { bestGap = gap[i]; best = i; }
        }
        return best;
    }
}
