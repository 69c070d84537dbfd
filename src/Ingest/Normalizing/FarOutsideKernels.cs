using System.Runtime.CompilerServices;
using LlmPipeline.Analysis.Warnings;
namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// Kernels whose timestamps lie far outside the bulk of the trace (docs/messy-traces.md, B16: CUPTI can return 0 or garbage
/// GPU timestamps, kineto #109): set aside and counted, so they never stretch the trace span, a pass or the anchors.
/// </summary>
internal static class FarOutsideKernels
{
    /// <summary>
    /// Sets aside kernels far outside the bulk of the trace (B16): more than <see cref="EventNormalizer.FarOutsideNs"/> before the
    /// first CPU event or after the last CPU event ends; in a trace without CPU events, kernels at <c>ts 0</c> when
    /// other kernels lie more than <see cref="EventNormalizer.FarOutsideNs"/> later. Their correlations still count as matched launches.
    /// </summary>
    /// <param name="devices">Kernels per device (entries replaced by the kept kernels).</param>
    /// <param name="cpuMinTsNs">Earliest CPU event ts, ns (<see cref="long.MaxValue"/> when the trace has none).</param>
    /// <param name="cpuMaxEndNs">Latest CPU event end, ns.</param>
    /// <param name="setAsideCorrelations">Receives the set-aside kernels' correlations (their launches are not "without kernel").</param>
    /// <param name="warnings">Receives one <c>kernel_far_outside_trace</c> warning with the first byte offset.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static void SetAside(Dictionary<int, DeviceKernels> devices, long cpuMinTsNs, long cpuMaxEndNs, List<long> setAsideCorrelations, WarningLog warnings)
    {
        Func<long, bool> far;
        if (cpuMinTsNs != long.MaxValue)
        {
            var lo = cpuMinTsNs < long.MinValue + EventNormalizer.FarOutsideNs ? long.MinValue : cpuMinTsNs - EventNormalizer.FarOutsideNs;
            var hi = cpuMaxEndNs > long.MaxValue - EventNormalizer.FarOutsideNs ? long.MaxValue : cpuMaxEndNs + EventNormalizer.FarOutsideNs;
            far = ts => ts < lo || ts > hi;
        }
        else
        {
            var latest = long.MinValue;
            foreach (var d in devices.Values)
                for (var i = 0; i < d.Count; i++) latest = Math.Max(latest, d.TsNs[i]);
            if (latest <= EventNormalizer.FarOutsideNs) return;
            far = ts => ts == 0;
        }
        long dropped = 0, firstOffset = long.MaxValue, example = 0;
        foreach (var device in devices.Keys.ToList())
        {
            var kernels = devices[device];
            bool[]? keep = null;
            for (var i = 0; i < kernels.Count; i++)
            {
                var ts = kernels.TsNs[i];
                if (!far(ts)) continue;
                keep ??= Enumerable.Repeat(true, kernels.Count).ToArray();
                keep[i] = false;
                dropped++;
                if (kernels.ByteOffset[i] < firstOffset) (firstOffset, example) = (kernels.ByteOffset[i], ts);
                if (kernels.Correlation[i] != long.MinValue) setAsideCorrelations.Add(kernels.Correlation[i]);
            }
            if (keep is not null) devices[device] = kernels.Where(keep);
        }
        if (dropped == 0) return;
        warnings.Add(WarningCatalog.KernelFarOutsideTrace, firstOffset,
            $"kernel(s) whose ts lies more than 1 h outside the CPU events of the trace set aside (bad GPU timestamps, kineto #109), e.g. ts {example} ns; not used for the trace span or segmentation",
            dropped);
    }
}
