using System.Diagnostics;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>
/// Wall time per ingest stage, printed to stderr when the environment variable <c>LLMPIPE_TIMING</c> is set (used by
/// the benchmark's closing notes to say which stage costs what), with the peak resident memory reached by the end of
/// each stage (Linux <c>VmHWM</c>; the process's peak working set elsewhere), to find the stage that sets the peak, and
/// the time the process spent paused in garbage collections, with their count (gen0/gen1/gen2), over the whole ingest.
/// Each stage of the ingesting thread also gets the CPU time the whole process used during it
/// (<see cref="Process.TotalProcessorTime"/>, user + sys of every thread, sampled when the stage ends): the read's
/// CPU / wall says how many cores the read kept busy. A stage that ran on another thread (<see cref="Alongside"/>) has
/// wall time only; its CPU is in the process CPU of the ingesting thread's stages it overlapped.
/// </summary>
internal sealed class StageTimer
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Stage, double Seconds, double? CpuSeconds, long PeakBytes, long HeapBytes)> _stages = [];
    private readonly double _firstCpu = ProcessCpuSeconds();
    private double _last;
    private double _lastCpu;

    /// <summary>Creates the timer; its clock, and the process CPU time it counts from, start now.</summary>
    public StageTimer() => _lastCpu = _firstCpu;

    /// <summary>Ends the current stage of the ingesting thread under <paramref name="stage"/> (repeated names add up).</summary>
    public void Mark(string stage)
    {
        lock (_stages)
        {
            var now = _clock.Elapsed.TotalSeconds;
            var cpu = ProcessCpuSeconds();
            _stages.Add((stage, now - _last, cpu - _lastCpu, PeakBytes(), GC.GetTotalMemory(false)));
            (_last, _lastCpu) = (now, cpu);
        }
    }

    /// <summary>Records a stage that ran on another thread, alongside the ingesting thread's stages (which it does not end).</summary>
    public void Alongside(string stage, double seconds)
    {
        lock (_stages) _stages.Add((stage + " (alongside)", seconds, null, PeakBytes(), GC.GetTotalMemory(false)));
    }

    /// <summary>
    /// Prints the stages when <c>LLMPIPE_TIMING</c> is set, one line:
    /// <c>timing: total T s; before read B s; STAGE W s cpu C s (peak P MB, managed heap H MB); ...; STAGE (alongside) W s (...);
    /// cpu C s; peak RSS P MB; GC pauses ...</c> (the benchmark parses it).
    /// </summary>
    public void Report(Stopwatch total)
    {
        if (Environment.GetEnvironmentVariable("LLMPIPE_TIMING") is null) return;
        var parts = _stages.GroupBy(s => s.Stage).Select(g =>
            $"{g.Key} {g.Sum(s => s.Seconds):F2}s{(g.First().CpuSeconds is null ? "" : $" cpu {g.Sum(s => s.CpuSeconds ?? 0):F2}s")} (peak {g.Max(s => s.PeakBytes) / 1e6:F0} MB, managed heap {g.Last().HeapBytes / 1e6:F0} MB)");
        var gc = $"GC pauses {GC.GetTotalPauseDuration().TotalSeconds:F2}s ({GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)})";
        Console.Error.WriteLine($"timing: total {total.Elapsed.TotalSeconds:F2}s; before read {total.Elapsed.TotalSeconds - _clock.Elapsed.TotalSeconds:F2}s; {string.Join("; ", parts)}; cpu {ProcessCpuSeconds() - _firstCpu:F2}s; peak RSS {PeakBytes() / 1e6:F0} MB; {gc}");
    }

    private static double ProcessCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private static long PeakBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
