using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmPipeline.Ingest.Captures;

/// <summary>
/// Reads rank and serving phase from trace file names as profilers write them (docs/messy-traces.md, B27): SGLang's
/// <c>{id}-TP-{tp}[-DP-{dp}-PP-{pp}-EP-{ep}][-DECODE|-EXTEND].trace.json.gz</c>, Kineto's
/// <c>rank-{r}.{date}.{pid}.pt.trace.json.gz</c> and HTA's <c>..._rank-{r}.json.gz</c> / <c>..._rank{r}.json.gz</c>.
/// </summary>
public static partial class CaptureNaming
{
    [GeneratedRegex(@"(?<=[-_.]|^)TP-(?<tp>\d+)(?:-DP-(?<dp>\d+))?(?:-PP-(?<pp>\d+))?(?:-EP-(?<ep>\d+))?(?=[-_.]|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TpPattern();

    [GeneratedRegex(@"(?<![a-z])rank[-_]?(?<r>\d+)(?!\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RankPattern();

    [GeneratedRegex(@"(?<=[-_.])(?<phase>DECODE|EXTEND|PREFILL)(?=[-_.]|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PhasePattern();

    /// <summary>Parses the file name of <paramref name="path"/> (the directory part is ignored).</summary>
    public static TraceFileName Parse(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        string? phase = null;
        var pm = PhasePattern().Match(name);
        if (pm.Success)
            phase = pm.Groups["phase"].Value.Equals("DECODE", StringComparison.OrdinalIgnoreCase) ? "decode" : "prefill";

        var tp = TpPattern().Match(name);
        if (tp.Success)
        {
            var parts = new List<int>();
            foreach (var g in new[] { "tp", "dp", "pp", "ep" })
                if (tp.Groups[g].Success) parts.Add(Int(tp.Groups[g].Value));
            return new TraceFileName(path, Star(name, tp, "tp", "dp", "pp", "ep"), parts[0], parts, phase);
        }
        var rank = RankPattern().Match(name);
        if (rank.Success)
        {
            var r = Int(rank.Groups["r"].Value);
            return new TraceFileName(path, Star(name, rank, "r"), r, [r], phase);
        }
        return new TraceFileName(path, null, null, [], phase);
    }

    private static int Int(string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : int.MaxValue;

    /// <summary>The name with the digits of the named groups of <paramref name="m"/> replaced by <c>*</c>.</summary>
    private static string Star(string name, Match m, params string[] groups)
    {
        var spans = groups.Select(g => m.Groups[g]).Where(g => g.Success).OrderByDescending(g => g.Index);
        var result = name;
        foreach (var g in spans) result = result[..g.Index] + "*" + result[(g.Index + g.Length)..];
        return result;
    }
}
