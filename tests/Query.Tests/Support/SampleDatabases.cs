using LlmPipeline.TestSupport;

namespace LlmPipeline.Query.Tests.Support;

/// <summary>
/// The shipped sample tests/data/sglang_qwen3_8b_decode (SGLang Qwen3-8B decode step, 36 layers, MI300X) as the real
/// <c>llmpipe ingest</c> stores it, with the capture trace in capture_traces/ found beside it. Reading that 1.2 MB
/// capture trace is most of an ingest's time, so each database is built once per test process and copied for each
/// test (<see cref="CachedDatabase{T}"/>).
/// </summary>
public static class SampleDatabases
{
    /// <summary>The sample trace.</summary>
    public static string Trace => SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz");

    /// <summary>The sample's config.json (also found beside the trace without <c>--config</c>).</summary>
    public static string Config => SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/config.json");

    private static readonly CachedDatabase<CliResult> Once = new("sample", db => Ingest(db, [Trace]));

    private static readonly CachedDatabase<CliResult> TwiceWithConfig = new("sample-twice", db =>
    {
        Ingest(db, [Trace, "--config", Config, "--label", "first", "--force"]);
        return Ingest(db, [Trace, "--config", Config, "--label", "second", "--force"]);
    });

    /// <summary><c>llmpipe ingest SAMPLE --db DB --quiet</c> into a fresh <paramref name="db"/>: run 1.</summary>
    public static void CopyOnce(string db) => Once.CopyTo(db);

    /// <summary>
    /// <c>llmpipe ingest SAMPLE --config CONFIG --label first --force --db DB --quiet</c>, then the same with
    /// <c>--label second</c>, into a fresh <paramref name="db"/>: runs 1 and 2.
    /// </summary>
    public static void CopyTwiceWithConfig(string db) => TwiceWithConfig.CopyTo(db);

    private static CliResult Ingest(string db, string[] args)
    {
        var r = Llmpipe.Run(["ingest", .. args, "--db", db, "--quiet"]);
        if (r.ExitCode != 0) throw new InvalidOperationException($"ingest of the sample into {db} failed: {r.Stderr}");
        return r;
    }
}
