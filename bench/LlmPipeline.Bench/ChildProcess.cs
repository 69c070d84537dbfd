using System.Diagnostics;
using System.Globalization;

namespace LlmPipeline.Bench;

/// <summary>Runs a command and measures its wall time and peak resident memory (Linux <c>VmHWM</c>, polled).</summary>
internal static class ChildProcess
{
    /// <summary>The result of one run.</summary>
    public sealed record Result(int ExitCode, double Seconds, long PeakRssBytes, string Stdout, string Stderr);

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> (and <paramref name="environment"/> added to this
    /// process's environment), polling its peak RSS every 20 ms.
    /// </summary>
    public static Result Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (key, value) in environment) psi.Environment[key] = value;
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!p.WaitForExit(20)) peak = Math.Max(peak, ReadHwm(p.Id));
        clock.Stop();
        return new Result(p.ExitCode, clock.Elapsed.TotalSeconds, peak, stdout.Result, stderr.Result);
    }

    private static long ReadHwm(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }
}
