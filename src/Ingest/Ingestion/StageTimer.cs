using System.Diagnostics;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>
/// Wall time per ingest stage, printed to stderr when the environment variable <c>LLMPIPE_TIMING</c> is set (used by
/// the benchmark's closing notes to say which stage costs what), with the peak resident memory reached by the end of
/// each stage (Linux <c>VmHWM</c>; the process's peak working set elsewhere), to find the stage that sets the peak, and
/// the time the process spent paused in garbage collections, with their count (gen0/gen1/gen2), over the whole ingest.
/// </summary>
internal sealed class StageTimer
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Stage, double Seconds, long PeakBytes, long HeapBytes)> _stages = [];
    private double _last;

    /// <summary>Ends the current stage of the ingesting thread under <paramref name="stage"/> (repeated names add up).</summary>
    public void Mark(string stage)
    {
        lock (_stages)
        {
            var now = _clock.Elapsed.TotalSeconds;
            _stages.Add((stage, now - _last, PeakBytes(), GC.GetTotalMemory(false)));
            _last = now;
        }
    }

    /// <summary>Records a stage that ran on another thread, alongside the ingesting thread's stages (which it does not end).</summary>
    public void Alongside(string stage, double seconds)
    {
        lock (_stages) _stages.Add((stage + " (alongside)", seconds, PeakBytes(), GC.GetTotalMemory(false)));
    }

    /// <summary>Prints the stages when <c>LLMPIPE_TIMING</c> is set.</summary>
    public void Report(Stopwatch total)
    {
        if (Environment.GetEnvironmentVariable("LLMPIPE_TIMING") is null) return;
        var parts = _stages.GroupBy(s => s.Stage).Select(g => $"{g.Key} {g.Sum(s => s.Seconds):F2}s (peak {g.Max(s => s.PeakBytes) / 1e6:F0} MB, managed heap {g.Last().HeapBytes / 1e6:F0} MB)");
        var gc = $"GC pauses {GC.GetTotalPauseDuration().TotalSeconds:F2}s ({GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)})";
        Console.Error.WriteLine($"timing: total {total.Elapsed.TotalSeconds:F2}s; before read {total.Elapsed.TotalSeconds - _clock.Elapsed.TotalSeconds:F2}s; {string.Join("; ", parts)}; peak RSS {PeakBytes() / 1e6:F0} MB; {gc}");
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
