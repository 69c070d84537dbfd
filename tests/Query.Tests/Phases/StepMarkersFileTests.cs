using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Phases;

/// <summary>
/// Issue 4 "the annotation grammars are data, so a new engine's markers need no rebuild": <c>--step-markers FILE</c> on
/// ingest and resegment adds grammars tried before the built-in ones; a bad file is an error naming it.
/// </summary>
public sealed class StepMarkersFileTests
{
    private const string IterMarkers = """
        {"step_markers": [{"name": "iter", "pattern": "^iter\\[(?<phase>[PD]) n=(?<toks>\\d+)\\]", "phase_map": {"P": "prefill", "D": "decode"}}]}
        """;

    /// <summary>An engine marking steps iter[P n=128] / iter[D n=4]; attention kernels that no signature classifies; no Input Dims.</summary>
    private static string Trace(TempDir dir) => Trace(dir.Path);

    private static string Trace(string folder)
    {
        var trace = Path.Combine(folder, "iter.json");
        File.WriteAllText(trace, PhaseTrace.Json([
            new PhaseTrace.Pass("iter[P n=128]", PhaseTrace.NeutralAttention),
            new PhaseTrace.Pass("iter[D n=4]", PhaseTrace.NeutralAttention),
            new PhaseTrace.Pass("iter[D n=4]", PhaseTrace.NeutralAttention),
            new PhaseTrace.Pass("iter[D n=4]", PhaseTrace.NeutralAttention),
        ]));
        return trace;
    }

    /// <summary>
    /// <see cref="Trace"/> ingested with <c>--num-layers 4</c> and no markers file (run 1, no phases), built once; each
    /// copy comes with the path of the trace it was ingested from.
    /// </summary>
    private static readonly CachedDatabase<string> Plain = new("iter", db =>
    {
        var trace = Trace(Path.GetDirectoryName(db)!);
        var r = Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return trace;
    });

    private static List<Dictionary<string, string>> Passes(string db) =>
        Parse.Csv(Llmpipe.Run("sql", "SELECT phase, phase_source, token_count FROM passes ORDER BY pass_idx", "--format", "csv", "--db", db).Stdout);

    [Fact]
    public void Ingest_step_markers_file_gives_phases_to_markers_the_built_in_rules_do_not_know()
    {
        using var dir = new TempDir();
        var plain = dir.File("plain.db");
        var trace = Plain.CopyTo(plain);
        Assert.All(Passes(plain), r => Assert.Equal("", r["phase"]));

        var markers = dir.File("iter_markers.json");
        File.WriteAllText(markers, IterMarkers);
        var db = dir.File("t.db");
        var r = Llmpipe.Run("ingest", trace, "--num-layers", "4", "--step-markers", markers, "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"run 1: phases with step markers from {markers}: 4 pass(es) by annotation", r.Stdout);
        var rows = Passes(db);
        Assert.Equal(["prefill", "decode", "decode", "decode"], rows.Select(p => p["phase"]));
        Assert.Equal(["128", "4", "4", "4"], rows.Select(p => p["token_count"]));
        Assert.Equal("user_annotation 'iter[P n=128]'", rows[0]["phase_source"]);
    }

    [Fact]
    public void Resegment_step_markers_file_assigns_phases_to_a_stored_run()
    {
        using var dir = new TempDir();
        var db = dir.File("t.db");
        Plain.CopyTo(db);
        var markers = dir.File("iter_markers.json");
        File.WriteAllText(markers, IterMarkers);
        var r = Llmpipe.Run("resegment", "--run", "1", "--step-markers", markers, "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["prefill", "decode", "decode", "decode"], Passes(db).Select(p => p["phase"]));
        // without the file, a resegment goes back to the built-in rules
        Assert.Equal(0, Llmpipe.Run("resegment", "--run", "1", "--db", db).ExitCode);
        Assert.All(Passes(db), p => Assert.Equal("", p["phase"]));
    }

    [Theory]
    [InlineData("""{"step_markers": [{"name": "iter", "pattern": "(("}]}""", "step_markers[0].pattern: invalid regular expression")]
    [InlineData("""{"step_markers": [{"name": "iter", "pattern": "^iter", "phase_map": {"P": "warmup"}}]}""", "step_markers[0].phase_map.P: 'warmup' is not a phase")]
    [InlineData("""{"step_markers": {"name": "iter"}}""", "step_markers: not an array")]
    [InlineData("""{"stepmarkers": []}""", "holds no step_markers and no attention_signatures")]
    [InlineData("""{"step_markers": [""", "not valid JSON")]
    public void Bad_step_markers_file_is_an_error_naming_the_file_and_leaves_the_database_unchanged(string json, string problem)
    {
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var trace = Plain.CopyTo(db);
        var bad = dir.File("bad_markers.json");
        File.WriteAllText(bad, json);
        var before = File.ReadAllBytes(db);

        var r = Llmpipe.Run("ingest", trace, "--num-layers", "4", "--force", "--step-markers", bad, "--db", db);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"error: {bad}: ", r.Stderr);
        Assert.Contains(problem, r.Stderr);
        r = Llmpipe.Run("resegment", "--run", "1", "--num-layers", "2", "--step-markers", bad, "--db", db);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"error: {bad}: ", r.Stderr);
        Assert.Equal(before, File.ReadAllBytes(db));
    }

    [Fact]
    public void Missing_step_markers_file_is_an_error_naming_it()
    {
        using var dir = new TempDir();
        var missing = dir.File("nope.json");
        var r = Llmpipe.Run("ingest", Trace(dir), "--step-markers", missing, "--db", dir.File("t.db"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"error: {missing}: cannot read the step-markers file", r.Stderr);
        Assert.False(File.Exists(dir.File("t.db")));
    }

    [Fact]
    public void Ingest_of_a_present_file_with_a_step_markers_file_is_a_new_run_not_already_present()
    {
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var trace = Plain.CopyTo(db);
        Assert.Contains("already present as run 1", Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db).Stdout);
        var markers = dir.File("iter_markers.json");
        File.WriteAllText(markers, IterMarkers);
        var r = Llmpipe.Run("ingest", trace, "--num-layers", "4", "--step-markers", markers, "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"{trace}: ingested as run 2", r.Stdout);
        Assert.Equal(["", "prefill"], Parse.Csv(Llmpipe.Run("sql", "SELECT run_id, phase FROM passes WHERE pass_idx = 0 ORDER BY run_id", "--format", "csv", "--db", db).Stdout).Select(p => p["phase"]));
        // the same markers again: already present
        Assert.Contains("already present as run 2", Llmpipe.Run("ingest", trace, "--num-layers", "4", "--step-markers", markers, "--db", db).Stdout);
    }
}
