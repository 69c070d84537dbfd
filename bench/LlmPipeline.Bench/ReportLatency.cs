using System.Diagnostics;
using Dapper;
using LlmPipeline.Query.Cli;
using LlmPipeline.TraceGen;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Bench;

/// <summary>
/// Report latency on a many-run database (issue 6: "timeline, layers, kernels on a database of 50 runs with 200 k
/// kernels each answer in under 100 ms each"). Ingests one DeepSeek-V3-shaped decode trace of about 200 k kernels,
/// copies its rows into 49 more runs with SQL (same shape, new run ids: what matters for latency is that every
/// report must find one run's rows among 10 M), then times the three commands in-process through
/// <see cref="LlmpipeCli.Run"/> on a run in the middle of the file, after a warm-up on another run, so process
/// start-up and JIT are not counted (they are the same for every database size).
/// </summary>
internal static class ReportLatency
{
    /// <summary>Latency target per report, ms.</summary>
    public const double TargetMs = 100;

    /// <summary>Builds (or reuses) the database in <paramref name="outDir"/> and times the reports.</summary>
    /// <returns>(command, median ms of 3) for timeline, layers and kernels, and the kernel rows in the database.</returns>
    public static (List<(string Command, double Ms)> Timings, long Kernels) Run(string llmpipe, string outDir, int runs = 50)
    {
        var db = Path.Combine(outDir, $"reports-{runs}x200k.db");
        if (!File.Exists(db)) Build(llmpipe, outDir, db, runs);
        // A cached database may hold an older build's views: opening it for writing installs the current ones.
        LlmPipeline.Ingest.Storage.LlmDatabase.OpenForWrite(db).Dispose();
        long kernels;
        using (var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False"))
            kernels = c.ExecuteScalar<long>("SELECT count(*) FROM kernels");
        var middle = (runs / 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[][] commands =
        [
            ["timeline", "--run", middle, "--db", db],
            ["layers", "--run", middle, "--db", db],
            ["kernels", "--run", middle, "--layer", "30", "--db", db],
        ];
        foreach (var warm in commands) Invoke([.. warm.Select(a => a == middle ? "1" : a)]);
        var timings = new List<(string, double)>();
        foreach (var command in commands)
        {
            var ms = Enumerable.Range(0, 3).Select(_ => Invoke(command)).Order().ElementAt(1);
            timings.Add((command[0], ms));
        }
        return (timings, kernels);
    }

    private static double Invoke(string[] args)
    {
        var clock = Stopwatch.StartNew();
        var code = LlmpipeCli.Run(args, TextWriter.Null, TextWriter.Null);
        var ms = clock.Elapsed.TotalMilliseconds;
        if (code != 0) throw new InvalidOperationException($"llmpipe {string.Join(' ', args)} exited {code}");
        return ms;
    }

    private static void Build(string llmpipe, string outDir, string db, int runs)
    {
        var trace = Path.Combine(outDir, "dsv3-decode-200k-kernels.json.gz");
        if (!File.Exists(trace))
        {
            Console.Error.WriteLine($"[reports] generating {trace} ...");
            // 73.5 k kernels per 38 passes at the benchmark's shape: 104 passes give about 200 k kernels.
            TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 104, Seed = 2, IncludeCpuSide = true }, trace, gzip: true);
        }
        var partial = db + ".partial";
        foreach (var f in new[] { partial, partial + "-wal", partial + "-shm" }) File.Delete(f);
        Console.Error.WriteLine($"[reports] ingesting one run and copying it into {runs - 1} more ...");
        var ingest = ChildProcess.Run(llmpipe, ["ingest", trace, "--db", partial, "--quiet"]);
        if (ingest.ExitCode != 0) throw new InvalidOperationException($"llmpipe ingest failed ({ingest.ExitCode}): {ingest.Stderr}");
        using (var c = new SqliteConnection($"Data Source={partial};Pooling=False"))
        {
            c.Open();
            c.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
            var tables = c.Query<string>("""
                SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
                AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'run_id')
                """).ToList();
            for (var run = 2; run <= runs; run++)
            {
                using var tx = c.BeginTransaction();
                foreach (var table in tables)
                {
                    var columns = c.Query<string>($"SELECT name FROM pragma_table_info('{table}')", transaction: tx).ToList();
                    var select = string.Join(", ", columns.Select(x => x == "run_id" ? "$run" : x == "source_sha256" ? "source_sha256 || '-' || $run" : x));
                    c.Execute($"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {select} FROM {table} WHERE run_id = 1", new { run }, tx);
                }
                tx.Commit();
            }
            c.Execute("PRAGMA wal_checkpoint(TRUNCATE);"); // no ANALYZE: users' databases have none either
        }
        File.Move(partial, db);
    }
}
