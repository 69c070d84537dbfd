using System.Globalization;

namespace LlmPipeline.Bench;

/// <summary>
/// The llm-pipeline-analysis scripts' way to load a trace (docs/reference-analysis.md, 'Kernel list'): Python <c>json.load</c> of the (gzip) file, then the
/// kernel list sorted by <c>ts</c>. Measured in the same run as llmpipe; the script reports its own peak RSS.
/// </summary>
internal static class PythonBaseline
{
    private const string Script = """
        import gzip, json, resource, sys, time
        t = time.time()
        with open(sys.argv[1], 'rb') as f:
            gz = f.read(2) == b'\x1f\x8b'
        d = json.load(gzip.open(sys.argv[1], 'rt') if gz else open(sys.argv[1]))
        ev = d if isinstance(d, list) else d.get('traceEvents', [])
        k = [e for e in ev if e.get('cat') == 'kernel']
        k.sort(key=lambda e: e.get('ts', 0))
        print(len(k), time.time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        """;

    /// <summary>Runs the baseline; null when python3 is missing or fails.</summary>
    public static (long Kernels, double Seconds, long PeakRssBytes)? Run(string trace)
    {
        var script = Path.Combine(Path.GetTempPath(), "llmpipe-bench-baseline.py");
        File.WriteAllText(script, Script);
        ChildProcess.Result r;
        try
        {
            r = ChildProcess.Run("python3", [script, trace]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        if (r.ExitCode != 0) return null;
        var parts = r.Stdout.Trim().Split(' ');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), r.Seconds, Math.Max(long.Parse(parts[2], CultureInfo.InvariantCulture), r.PeakRssBytes));
    }
}
