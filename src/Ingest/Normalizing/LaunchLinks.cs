using System.Globalization;
using System.Runtime.CompilerServices;
using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// What ingest learns from each kernel's launch record, found through the kernel's correlation id (the launch's
/// correlation id; never the External id, which is a different counter: pytorch/pytorch#124388,
/// intel/torch-xpu-ops#4800): the launching operator of a kernel that carries no External id of its own, and the
/// launch → kernel delay that tells whether CPU and GPU timestamps come from one clock.
/// </summary>
public static class LaunchLinks
{
    /// <summary>A median launch → kernel delay above this (1 s, in ns) is not a queueing delay but a clock offset.</summary>
    public const long ImplausibleDelayNs = 1_000_000_000;

    /// <summary>Kernels starting before their launch, as a share of the correlated pairs, above which the clocks differ (1 %).</summary>
    public const double EarlyShare = 0.01;

    /// <summary>At most this many delays are kept for the median (evenly spread over the kernels).</summary>
    private const int DelaySample = 1 << 16;

    /// <summary>
    /// Gives every kernel that has a correlation id but no External id (or External id 0) the External id of its
    /// launch, so that its launching cpu_op is found; kernels of graph launches are left alone (their op is the
    /// captured one). Adds one <see cref="WarningCatalog.ExternalIdFromLaunch"/> warning with the count.
    /// </summary>
    /// <param name="devices">Kernels per device (their <see cref="DeviceKernels.ExternalId"/> is updated).</param>
    /// <param name="ledger">The run's kernel launches.</param>
    /// <param name="launchIndex">Correlation id → launch index (<see cref="LaunchLedger.LaunchIndex"/>).</param>
    /// <param name="warnings">Where the warning goes.</param>
    /// <returns>Kernels that got an External id.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static long FillExternalIds(IEnumerable<DeviceKernels> devices, LaunchLedger ledger, Func<long, int> launchIndex, WarningLog warnings)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(launchIndex);
        ArgumentNullException.ThrowIfNull(warnings);
        long filled = 0, without = 0;
        foreach (var d in devices)
        {
            for (var i = 0; i < d.Count; i++)
            {
                if (d.ExternalId[i] != long.MinValue) continue;
                without++;
                var corr = d.Correlation[i];
                if (corr == long.MinValue || ledger.GraphLaunchCorrelations.Contains(corr)) continue;
                var at = launchIndex(corr);
                if (at < 0 || ledger.LaunchExternalIds[at] is var ext && ext == long.MinValue) continue;
                d.ExternalId.Set(i, ext);
                filled++;
            }
        }
        if (filled > 0)
            warnings.Add(WarningCatalog.ExternalIdFromLaunch, null,
                $"{filled} of {without} kernels without an External id of their own took their launch's (kernel correlation → runtime launch → its External id), so op_name and input_dims come from the launching cpu_op; nothing to do unless ops look wrong, then check the producer's External id on kernel events (pytorch/pytorch#124388)",
                filled);
        return filled;
    }

    /// <summary>
    /// The clock check: the delay from each kernel launch (its <c>ts</c>) to its kernel's start, over every kernel
    /// found through its correlation id (graph replays left out: their kernels run long after the one launch). Adds a
    /// <see cref="WarningCatalog.ClockDomainMismatch"/> warning when more than <see cref="EarlyShare"/> of the kernels start before
    /// their launch, or the median delay exceeds <see cref="ImplausibleDelayNs"/>; it gives the estimated offset
    /// (GPU minus CPU clock) and the span of each side, since <c>runs.trace_start_ns</c> / <c>trace_end_ns</c> and
    /// <c>start_s</c> then mix both clocks. Sources: ROCm/rocm-systems#11667 (HIP activity in CLOCK_BOOTTIME, CPU in
    /// CLOCK_MONOTONIC), pytorch/kineto#1082.
    /// </summary>
    /// <param name="devices">Kernels per device.</param>
    /// <param name="ledger">The run's kernel launches.</param>
    /// <param name="launchIndex">Correlation id → launch index.</param>
    /// <param name="cpuSpan">First ts and last end of the CPU-side events, ns, or null when there are none.</param>
    /// <param name="warnings">Where the warning goes.</param>
    /// <returns>(correlated pairs, kernels starting before their launch, median delay in ns, or 0 without pairs).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static (long Pairs, long Early, long MedianNs) CheckClock(IReadOnlyCollection<DeviceKernels> devices, LaunchLedger ledger,
        Func<long, int> launchIndex, (long Start, long End)? cpuSpan, WarningLog warnings)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(launchIndex);
        ArgumentNullException.ThrowIfNull(warnings);
        if (ledger.LaunchCorrelations.Count == 0) return (0, 0, 0);
        var total = devices.Sum(d => (long)d.Count);
        var stride = Math.Max(1, total / DelaySample);
        var sample = new List<long>((int)Math.Min(total, DelaySample + 1));
        long pairs = 0, early = 0, minDelay = long.MaxValue, seen = 0;
        long gpuStart = long.MaxValue, gpuEnd = long.MinValue;
        foreach (var d in devices)
        {
            for (var i = 0; i < d.Count; i++)
            {
                var ts = d.TsNs[i];
                gpuStart = Math.Min(gpuStart, ts);
                gpuEnd = Math.Max(gpuEnd, ts + d.DurNs[i]);
                var corr = d.Correlation[i];
                if (corr == long.MinValue || ledger.GraphLaunchCorrelations.Contains(corr)) continue;
                var at = launchIndex(corr);
                if (at < 0) continue;
                var delay = ts - ledger.LaunchTsNs[at];
                pairs++;
                if (delay < 0) early++;
                if (delay < minDelay) minDelay = delay;
                if (seen++ % stride == 0) sample.Add(delay);
            }
        }
        if (pairs == 0) return (0, 0, 0);
        sample.Sort();
        var median = sample[sample.Count / 2];
        var earlyShare = (double)early / pairs;
        if (earlyShare <= EarlyShare && median <= ImplausibleDelayNs) return (pairs, early, median);
        // Kernels before their launches: the GPU clock is behind by at least the most negative delay; a median past
        // 1 s: ahead by about the median (a real launch queue is microseconds to milliseconds).
        var offset = median < 0 || median > ImplausibleDelayNs ? median : minDelay;
        var cpu = cpuSpan is { } c ? $"the CPU-side events span {Seconds(c.Start)} to {Seconds(c.End)} s, " : "";
        var negative = gpuStart < 0 && warnings.Contains(WarningCatalog.NegativeTs)
            ? " The negative kernel ts come from this offset, not from baseTimeNanoseconds."
            : "";
        warnings.Add(WarningCatalog.ClockDomainMismatch, null,
            $"{early} of {pairs} kernels start before their launch (median launch→kernel delay {Seconds(median)} s, smallest {Seconds(minDelay)} s): " +
            $"CPU and GPU timestamps come from different clocks, the GPU's about {Seconds(offset)} s off (ROCm/rocm-systems#11667, kineto #1082). " +
            $"Passes, phases, batch sizes and ops are joined by correlation and stay right; but runs.trace_start_ns/trace_end_ns and start_s mix both clocks " +
            $"({cpu}the kernels {Seconds(gpuStart)} to {Seconds(gpuEnd)} s, file ts): compare kernel times only with kernel times, or fix the producer's clock.{negative}",
            early > 0 ? early : pairs);
        return (pairs, early, median);
    }

    private static string Seconds(long ns) => (ns / 1e9).ToString("0.000000", CultureInfo.InvariantCulture);
}
