using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmPipeline.Bench;

/// <summary>
/// The per-stage times of one or more ingested files, parsed from the <c>timing:</c> lines that
/// <c>LLMPIPE_TIMING=1 llmpipe ingest</c> prints to stderr (one per file; src/Ingest/Ingestion/StageTimer.cs): per
/// stage its wall time and the process CPU time (user + sys of every thread, <c>Process.TotalProcessorTime</c>
/// sampled at the stage's start and end) spent during it. Several files (a directory of ranks) add up per stage, but
/// only the stages each file runs before it is parked (<see cref="PrepareStages"/>: the files are prepared one after
/// another, so these intervals do not overlap): a file's stage timer keeps running while it waits parked, so its
/// later stages (copy staged rows ... merge, in the one transaction of the group) would count the other files' reads.
/// </summary>
internal sealed partial class IngestTiming
{
    private IngestTiming(List<Stage> stages, double totalSeconds, double cpuSeconds, long peakRssBytes, int files)
    {
        (Stages, TotalSeconds, CpuSeconds, PeakRssBytes, Files) = (stages, totalSeconds, cpuSeconds, peakRssBytes, files);
    }

    /// <summary>The stages of a file of a group that end before it is parked, in order.</summary>
    public static readonly string[] PrepareStages = ["setup", "read", "capture traces", "segment (alongside)", "park"];

    /// <summary>One stage: wall seconds, and process CPU seconds (null for a stage that ran alongside on another thread).</summary>
    public sealed record Stage(string Name, double Seconds, double? CpuSeconds);

    /// <summary>The stages in the order first printed, summed over files.</summary>
    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>Wall time of the files' ingests as the files' clocks saw them (start-up before the clock not counted).</summary>
    public double TotalSeconds { get; }

    /// <summary>Process CPU time from the first stage's start to the report.</summary>
    public double CpuSeconds { get; }

    /// <summary>Peak RSS the ingest reported (VmHWM at its end).</summary>
    public long PeakRssBytes { get; }

    /// <summary>How many timing lines (files) were summed.</summary>
    public int Files { get; }

    /// <summary>The stage named <paramref name="name"/>; null when absent.</summary>
    public Stage? this[string name] => Stages.FirstOrDefault(s => s.Name == name);

    /// <summary>Parses the <c>timing:</c> lines of <paramref name="stderr"/>; null when there are none.</summary>
    public static IngestTiming? Parse(string stderr)
    {
        var stages = new List<Stage>();
        double total = 0, cpu = 0;
        long peak = 0;
        var lines = stderr.Split('\n').Where(l => l.StartsWith("timing: ", StringComparison.Ordinal)).ToList();
        var files = lines.Count;
        foreach (var line in lines)
        {
            foreach (var part in line["timing: ".Length..].Split("; "))
            {
                if (TotalPart().Match(part) is { Success: true } t) total += Num(t.Groups[1].Value);
                else if (CpuPart().Match(part) is { Success: true } c) cpu += Num(c.Groups[1].Value);
                else if (PeakPart().Match(part) is { Success: true } p) peak = Math.Max(peak, (long)(Num(p.Groups[1].Value) * 1e6));
                else if (StagePart().Match(part) is { Success: true } s)
                {
                    var (name, wall) = (s.Groups["name"].Value, Num(s.Groups["wall"].Value));
                    if (files > 1 && !PrepareStages.Contains(name)) continue;
                    double? stageCpu = s.Groups["cpu"].Success ? Num(s.Groups["cpu"].Value) : null;
                    var i = stages.FindIndex(x => x.Name == name);
                    if (i < 0) stages.Add(new Stage(name, wall, stageCpu));
                    else stages[i] = new Stage(name, stages[i].Seconds + wall, stageCpu is null ? stages[i].CpuSeconds : (stages[i].CpuSeconds ?? 0) + stageCpu);
                }
            }
        }
        return files == 0 ? null : new IngestTiming(stages, total, cpu, peak, files);
    }

    /// <summary>
    /// One line: every stage's wall time, with its CPU time and cores (CPU / wall) where known; for several files, the
    /// stages before parking and then the rest of <paramref name="wallSeconds"/> (the child's wall: start-up and the
    /// group's store transaction).
    /// </summary>
    public string Describe(double wallSeconds) => Files > 1
        ? string.Join(", ", Stages.Select(Format)) + string.Format(CultureInfo.InvariantCulture,
            "; then start-up and the store transaction of all {0} files {1:F2} s (the rest of the {2:F2} s wall; its stages are not summed over files)",
            Files, wallSeconds - Stages.Where(s => s.CpuSeconds is not null).Sum(s => s.Seconds), wallSeconds)
        : string.Join(", ", Stages.Select(Format))
        + string.Format(CultureInfo.InvariantCulture, "; total {0:F2} s, cpu {1:F2} s; outside the file's clock (process start-up, database open, exit) {2:F2} s", TotalSeconds, CpuSeconds, wallSeconds - TotalSeconds);

    /// <summary>
    /// A stage's wall and CPU time, with the cores it kept busy once it lasts long enough for that ratio to mean
    /// something (the process CPU time is sampled in 10 ms ticks: a 1 ms stage would show thousands of cores).
    /// </summary>
    private static string Format(Stage s) => s.CpuSeconds is double c
        ? s.Seconds >= MinSecondsForCores
            ? string.Format(CultureInfo.InvariantCulture, "{0} {1:F2} s (cpu {2:F2} s, {3:F2} cores)", s.Name, s.Seconds, c, c / s.Seconds)
            : string.Format(CultureInfo.InvariantCulture, "{0} {1:F2} s (cpu {2:F2} s)", s.Name, s.Seconds, c)
        : string.Format(CultureInfo.InvariantCulture, "{0} {1:F2} s", s.Name, s.Seconds);

    /// <summary>Shortest stage whose CPU / wall is printed, seconds.</summary>
    private const double MinSecondsForCores = 0.05;

    private static double Num(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^total (\d+(?:\.\d+)?)s$")]
    private static partial Regex TotalPart();

    [GeneratedRegex(@"^cpu (\d+(?:\.\d+)?)s$")]
    private static partial Regex CpuPart();

    [GeneratedRegex(@"^peak RSS (\d+(?:\.\d+)?) MB$")]
    private static partial Regex PeakPart();

    [GeneratedRegex(@"^(?<name>[a-z][a-z ()]*?) (?<wall>\d+(?:\.\d+)?)s(?: cpu (?<cpu>\d+(?:\.\d+)?)s)? \(peak")]
    private static partial Regex StagePart();
}
