using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Phases;

/// <summary>
/// Field-problems B31 "window selection picks an unrepresentative slice": 40 passes, 30 decode (bs 32), 6 mixed, 4 pure
/// prefill, the prefill-bearing passes sparse (a prefill-bearing stretch every 7th pass). Windows are labelled from the
/// passes inside them, and a phase the run lacks is an error naming the phases present, never a substitute.
/// </summary>
public sealed class PhaseWindowsTests
{
    private const string Decode = "step[DECODE bs=32]";
    private const string Mixed = "step[MIXED bs=4 toks=260]";
    private const string Prefill = "step[EXTEND bs=2 toks=512]";

    /// <summary>
    /// Passes 7k (k = 0..3) prefill and 7k + 1 mixed; passes 28 and 35 mixed; all others decode (30). Pass 2, the first
    /// decode pass, is slow (a ramp-up pass).
    /// </summary>
    public static string[] B31Phases()
    {
        var phases = Enumerable.Repeat("decode", 40).ToArray();
        for (var k = 0; k < 4; k++) { phases[7 * k] = "prefill"; phases[7 * k + 1] = "mixed"; }
        phases[28] = "mixed";
        phases[35] = "mixed";
        return phases;
    }

    private static string Ingest(TempDir dir, IReadOnlyList<string> phases)
    {
        var passes = phases.Select((ph, i) => ph switch
        {
            "prefill" => new PhaseTrace.Pass(Prefill, PhaseTrace.PrefillAttention),
            "mixed" => new PhaseTrace.Pass(Mixed, PhaseTrace.PrefillAttention, PhaseTrace.DecodeAttention),
            _ => new PhaseTrace.Pass(Decode, PhaseTrace.DecodeAttention, Slow: i == 2),
        }).ToList();
        var trace = dir.File("b31.json");
        File.WriteAllText(trace, PhaseTrace.Json(passes));
        var db = dir.File("b31.db");
        var r = Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return db;
    }

    [Fact]
    public void Windows_are_labelled_from_the_passes_inside_on_the_B31_input()
    {
        using var dir = new TempDir();
        var db = Ingest(dir, B31Phases());
        var r = Llmpipe.Run("windows", "--run", "1", "--format", "csv", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = Parse.Csv(r.Stdout);
        // Hand-computed: P M D(2-6) P M D(9-13) P M D(16-20) P M D(23-27) M D(29-34) M D(36-39).
        string[] phase = ["prefill", "mixed", "decode", "prefill", "mixed", "decode", "prefill", "mixed", "decode", "prefill", "mixed", "decode", "mixed", "decode", "mixed", "decode"];
        string[] first = ["0", "1", "2", "7", "8", "9", "14", "15", "16", "21", "22", "23", "28", "29", "35", "36"];
        string[] last = ["0", "1", "6", "7", "8", "13", "14", "15", "20", "21", "22", "27", "28", "34", "35", "39"];
        string[] count = ["1", "1", "5", "1", "1", "5", "1", "1", "5", "1", "1", "5", "1", "6", "1", "4"];
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(w => w["window_idx"]));
        Assert.Equal(phase, rows.Select(w => w["phase"]));
        Assert.Equal(first, rows.Select(w => w["first_pass_idx"]));
        Assert.Equal(last, rows.Select(w => w["last_pass_idx"]));
        Assert.Equal(count, rows.Select(w => w["pass_count"]));
        // Totals per phase match the input: 30 decode, 6 mixed, 4 prefill.
        Assert.Equal(30, rows.Where(w => w["phase"] == "decode").Sum(w => int.Parse(w["pass_count"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(6, rows.Where(w => w["phase"] == "mixed").Sum(w => int.Parse(w["pass_count"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(4, rows.Where(w => w["phase"] == "prefill").Sum(w => int.Parse(w["pass_count"], System.Globalization.CultureInfo.InvariantCulture)));
        // Window 2 (passes 2..6): pass 2 is a ramp-up pass (796 µs against a decode median of 398 µs), so 4 of 5 are steady;
        // wall 796 + 4 × 398 = 2388 µs, mean 477.6 µs.
        Assert.Equal("4", rows[2]["steady_pass_count"]);
        Assert.Equal(2.388, Parse.D(rows[2]["wall_ms"]), 9);
        Assert.Equal(0.4776, Parse.D(rows[2]["mean_wall_ms"]), 9);
        Assert.Equal("6", rows[13]["steady_pass_count"]);
        Assert.Equal(6 * 0.398, Parse.D(rows[13]["wall_ms"]), 9);

        // Every window's label is the phase of every pass inside it.
        var mismatches = Llmpipe.Run("sql", """
            SELECT COUNT(*) AS n FROM pass_windows w JOIN passes p
              ON p.run_id = w.run_id AND p.device = w.device AND p.pass_idx BETWEEN w.first_pass_idx AND w.last_pass_idx
            WHERE COALESCE(p.phase, 'unknown') <> w.phase
            """, "--format", "csv", "--db", db);
        Assert.True(mismatches.ExitCode == 0, mismatches.Stderr);
        Assert.Equal("0", Parse.Csv(mismatches.Stdout)[0]["n"]);

        var prefill = Parse.Csv(Llmpipe.Run("windows", "--run", "1", "--phase", "prefill", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(["0", "7", "14", "21"], prefill.Select(w => w["first_pass_idx"]));
    }

    [Fact]
    public void Phase_absent_from_the_run_is_an_error_naming_the_phases_present()
    {
        using var dir = new TempDir();
        var db = Ingest(dir, B31Phases().Where(p => p != "prefill").ToArray()); // 36 passes: 30 decode, 6 mixed
        const string expected = "error: run 1 has no prefill pass (phases: decode 30, mixed 6)";
        foreach (var command in new[] { "windows", "layers", "clusters", "perfetto", "top", "kernels" })
        {
            string[] extra = command == "kernels" ? ["--layer", "0"] : ["--format", "csv"];
            var r = Llmpipe.Run([command, "--run", "1", "--phase", "prefill", .. extra, "--db", db]);
            Assert.True(r.ExitCode == 1, $"{command}: exit {r.ExitCode}, stdout {r.Stdout}");
            Assert.Contains(expected, r.Stderr);
            Assert.Equal("", r.Stdout);
        }
        // an explicit pass with the absent phase gets the same answer, not "pass 0 is decode"
        var explicitPass = Llmpipe.Run("layers", "--run", "1", "--pass", "0", "--phase", "prefill", "--db", db);
        Assert.Equal(1, explicitPass.ExitCode);
        Assert.Contains(expected, explicitPass.Stderr);
        // a phase that is present still works
        var mixed = Llmpipe.Run("layers", "--run", "1", "--phase", "mixed", "--format", "csv", "--db", db);
        Assert.True(mixed.ExitCode == 0, mixed.Stderr);
        Assert.Contains("chosen: among the 6 mixed pass(es)", mixed.Stderr);
        // without --run, the listing reports say so when no run at all has the phase
        foreach (var command in new[] { "timeline", "windows" })
        {
            var all = Llmpipe.Run(command, "--phase", "prefill", "--format", "csv", "--db", db);
            Assert.True(all.ExitCode == 1, $"{command}: exit {all.ExitCode}, stdout {all.Stdout}");
            Assert.Contains("error: no run has a prefill pass (phases: decode 30, mixed 6)", all.Stderr);
            Assert.Equal("", all.Stdout);
        }
        Assert.Equal(0, Llmpipe.Run("timeline", "--phase", "mixed", "--format", "csv", "--db", db).ExitCode);
    }
}
