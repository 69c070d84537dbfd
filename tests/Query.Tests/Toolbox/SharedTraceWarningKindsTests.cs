using Dapper;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>
/// Issue 18 acceptance: every kind that ingest stores on ../shared/traces (and on the replay traces given their
/// graph-capture traces from ../shared/captures) is in the warning catalogue and in docs/warnings.md; each kind's runs
/// and occurrences are the ones the ingest stored before the catalogue existed.
/// </summary>
public sealed class SharedTraceWarningKindsTests(ITestOutputHelper output)
{
    private static readonly string[] CaptureCases = ["sglang_decode", "vllm_decode_full", "vllm_prefilldecode_piecewise"];

    [SkippableFact]
    [Trait("Category", "Corpus")]
    public void Every_kind_stored_on_the_shared_traces_is_in_the_catalogue_and_in_docs_warnings_md()
    {
        var traces = Path.Combine(SharedData.SharedDir, "traces");
        Skip.IfNot(SharedData.Available, $"skipped: {traces} not found (the ../shared folder beside the repository is absent)");
        using var dir = new TempDir();
        var corpus = Ingest(dir.File("traces.db"), traces);
        var replays = new Dictionary<string, (long Runs, long Count)>();
        foreach (var c in CaptureCases)
        {
            var replay = Directory.GetFiles(Path.Combine(traces, "tracelens", "inference", c), "*.json.gz").Single();
            foreach (var (kind, n) in Ingest(dir.File($"{c}.db"), replay, "--capture-traces", SharedData.RequireCapture(Path.Combine("tracelens", c))))
                replays[kind] = (replays.GetValueOrDefault(kind).Runs + n.Runs, replays.GetValueOrDefault(kind).Count + n.Count);
        }

        var doc = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "docs", "warnings.md"));
        foreach (var kind in corpus.Keys.Concat(replays.Keys).Distinct())
        {
            output.WriteLine(kind);
            Assert.True(WarningCatalog.Find(kind) is not null, $"ingest stored '{kind}', which the warning catalogue does not list");
            Assert.Contains($"| `{kind}` |", doc);
        }
        // Runs and occurrences per kind over the 23 traces (one run each), as stored before the catalogue.
        var expected = new Dictionary<string, (long Runs, long Count)>
        {
            ["capture_missing_ranks"] = (3, 3),
            ["event_runaway_dur"] = (2, 2),
            ["external_id_without_cpu_op"] = (6, 22672),
            ["graph_replay_unattributed"] = (3, 1326),
            ["kernel_external_id_zero"] = (3, 3055),
            ["no_anchor"] = (4, 4),
            ["no_gpu_kernels"] = (1, 1),
            ["no_layer_count"] = (2, 2),
            ["no_layer_structure"] = (6, 6),
            ["partial_pass"] = (2, 2),
            ["unknown_gpu"] = (12, 12),
        };
        Assert.Equal(expected.OrderBy(kv => kv.Key), corpus.OrderBy(kv => kv.Key));
        // With their capture traces every replay kernel gets its op; what stays is the GPU without peaks (device name "").
        Assert.Equal([new KeyValuePair<string, (long, long)>("unknown_gpu", (2, 2))], replays);
    }

    /// <summary>Ingests with the command line into a fresh database; returns (runs, occurrences) per stored kind.</summary>
    private static Dictionary<string, (long Runs, long Count)> Ingest(string db, params string[] args)
    {
        var r = Llmpipe.Run(["ingest", .. args, "--db", db, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        return c.Query<(string Kind, long Runs, long Count)>("SELECT kind, COUNT(*), SUM(count) FROM ingest_warnings GROUP BY kind")
            .ToDictionary(x => x.Kind, x => (x.Runs, x.Count));
    }
}
