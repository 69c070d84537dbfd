using System.Diagnostics;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;
using Xunit.Abstractions;

namespace LlmPipeline.Query.Tests.Robustness;

/// <summary>
/// "Nothing lost" (issue 7): the real <c>llmpipe</c> binary as a child process, SIGKILLed at several points of a
/// large ingest, and two ingests writing one database at once while reports read it.
/// </summary>
[Collection("child processes")]
[Trait("Category", "Slow")]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private static (string Small, string Big, TraceGenResult BigResult) Traces(TempDir dir, long bigBytes)
    {
        var small = dir.File("small.json");
        TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.Generic, Passes = 3, WorldSize = 1, Seed = 3 }, small, gzip: false);
        var big = dir.File("big.json");
        var result = TraceWriter.WriteFile(new TraceSpec { TargetJsonBytes = bigBytes, Seed = 11 }, big, gzip: false);
        return (small, big, result);
    }

    [Fact]
    public void Ingest_killed_at_any_point_keeps_earlier_runs_unchanged_and_no_row_of_the_interrupted_run()
    {
        using var dir = new TempDir();
        var staging = Directory.CreateDirectory(dir.File("staging")).FullName;
        var (small, big, bigResult) = Traces(dir, 80_000_000);
        var db = dir.File("runs.db");
        Assert.Equal(0, Llmpipe.Run("ingest", small, "--db", db, "--quiet").ExitCode);
        var baseline = DatabaseSnapshot.Take(db);
        var tablesWithRun = DatabaseSnapshot.TablesWithRunId(db);
        Assert.Contains("kernel_rows", tablesWithRun);

        var killedInFlight = 0;
        var leftStaging = 0;
        foreach (var delayMs in KillDelays(dir, big, 0.1, 0.3, 0.5, 0.8))
        {
            var clock = Stopwatch.StartNew();
            var exitedBeforeKill = IngestAndKill(staging, big, db, delayMs, clock);
            if (!exitedBeforeKill) killedInFlight++;
            // Counted now: the next ingest removes the staging files of dead processes when it starts.
            if (!exitedBeforeKill) leftStaging = Math.Max(leftStaging, Directory.GetFiles(staging).Length);
            Assert.Equal("ok", DatabaseSnapshot.IntegrityCheck(db));
            var runs = DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM runs");
            output.WriteLine($"kill at {(delayMs >= 0 ? delayMs + " ms" : "merge start")}: killed after {clock.ElapsedMilliseconds} ms, exited before kill: {exitedBeforeKill}, runs stored: {runs}");
            if (runs == 1)
            {
                // Nothing of the interrupted run anywhere, and every earlier row unchanged (shared tables included).
                Assert.Equal(baseline, DatabaseSnapshot.Take(db));
                foreach (var t in tablesWithRun)
                    Assert.Equal(0, DatabaseSnapshot.Scalar(db, $"SELECT count(*) FROM \"{t}\" WHERE run_id <> 1"));
            }
            else
            {
                // The kill came after the commit: the run is complete.
                Assert.Equal(2, runs);
                Assert.Equal(bigResult.KernelCount, DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM kernels WHERE run_id = 2"));
                Assert.Equal(bigResult.KernelCount, DatabaseSnapshot.Scalar(db, "SELECT kernel_count FROM runs WHERE run_id = 2"));
            }
        }
        Assert.True(killedInFlight >= 3, $"only {killedInFlight} kills hit a running ingest");
        output.WriteLine($"most staging files left by killed processes at once: {leftStaging}");
        Assert.True(leftStaging > 0, "the killed ingests left no staging file (they were killed before staging began)");

        // A later ingest completes (or finds the run a kill after the commit left complete), and removes the staging
        // files of the dead processes either way.
        var final = ChildLlmpipe.Run(staging, Limit, "ingest", big, "--db", db, "--quiet");
        Assert.True(final.Exit == 0, final.Stderr);
        Assert.Equal(2, DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM runs"));
        Assert.Equal(bigResult.KernelCount, DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM kernels WHERE run_id = 2"));
        Assert.Empty(Directory.GetFiles(staging));
        Assert.Equal("ok", DatabaseSnapshot.IntegrityCheck(db));
    }

    [Fact]
    public void Ingest_of_a_capture_killed_at_any_point_stores_all_its_ranks_and_their_capture_or_nothing()
    {
        using var dir = new TempDir();
        var staging = Directory.CreateDirectory(dir.File("staging")).FullName;
        var set = Directory.CreateDirectory(dir.File("set")).FullName;
        var results = Enumerable.Range(0, 2).Select(r => TraceWriter.WriteFile(
            new TraceSpec { TargetJsonBytes = 25_000_000, Seed = (ulong)(20 + r), Rank = r, WorldSize = 2 },
            Path.Combine(set, $"job-TP-{r}.trace.json"), gzip: false)).ToList();
        var (small, _, _) = Traces(dir, 1_000_000);
        var db = dir.File("runs.db");
        Assert.Equal(0, Llmpipe.Run("ingest", small, "--db", db, "--quiet").ExitCode);
        var baseline = DatabaseSnapshot.Take(db);

        var killedInFlight = 0;
        foreach (var delayMs in KillDelays(dir, set, 0.15, 0.5, 0.85))
        {
            var clock = Stopwatch.StartNew();
            var exitedBeforeKill = IngestAndKill(staging, set, db, delayMs, clock);
            if (!exitedBeforeKill) killedInFlight++;
            Assert.Equal("ok", DatabaseSnapshot.IntegrityCheck(db));
            var runs = DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM runs");
            var captures = DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM captures");
            output.WriteLine($"kill at {(delayMs >= 0 ? delayMs + " ms" : "merge start")}: killed after {clock.ElapsedMilliseconds} ms, exited before kill: {exitedBeforeKill}, runs: {runs}, captures: {captures}");
            if (runs == 1)
            {
                // Neither rank, nor the capture.
                Assert.Equal(baseline, DatabaseSnapshot.Take(db));
                Assert.Equal(0, captures);
            }
            else
            {
                // The kill came after the commit: both ranks and their capture are complete.
                Assert.Equal(3, runs);
                Assert.Equal(1, captures);
                Assert.Equal(2, DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM runs WHERE capture_id = 1"));
                Assert.Equal(results.Sum(x => (long)x.KernelCount), DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM kernels WHERE run_id IN (2, 3)"));
                break;
            }
        }
        Assert.True(killedInFlight >= 2, $"only {killedInFlight} kills hit a running ingest");
        var final = ChildLlmpipe.Run(staging, Limit, "ingest", set, "--db", db, "--quiet");
        Assert.True(final.Exit == 0, final.Stderr);
        Assert.Equal(3, DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM runs"));
        Assert.Equal(2, DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM runs WHERE capture_id = 1 AND run_id = rank + 2"));
        Assert.Empty(Directory.GetFiles(staging));
    }

    [Fact]
    public void Ingest_of_a_file_already_stored_still_removes_staging_files_of_dead_processes()
    {
        // A kill after the commit leaves a complete run and a staging file; the next ingest of that file stops at the
        // duplicate check, before any staging of its own, and must still clean up.
        using var dir = new TempDir();
        var staging = Directory.CreateDirectory(dir.File("staging")).FullName;
        var (small, _, _) = Traces(dir, 1_000_000);
        var db = dir.File("runs.db");
        var first = ChildLlmpipe.Run(staging, Limit, "ingest", small, "--db", db, "--quiet");
        Assert.True(first.Exit == 0, first.Stderr);
        // Linux pid_max is at most 2^22, so this pid never runs.
        var dead = Path.Combine(staging, "llmpipe-staging-999999999-0123456789abcdef.db");
        File.WriteAllText(dead, "x");
        var again = ChildLlmpipe.Run(staging, Limit, "ingest", small, "--db", db);
        Assert.True(again.Exit == 0, again.Stderr);
        Assert.Contains("already present as run 1", again.Stdout);
        Assert.Empty(Directory.GetFiles(staging));
    }

    [Fact]
    public void Two_ingests_writing_one_database_at_once_both_succeed_while_reports_read_it()
    {
        using var dir = new TempDir();
        var staging = Directory.CreateDirectory(dir.File("staging")).FullName;
        var (small, a, aResult) = Traces(dir, 40_000_000);
        var b = dir.File("b.json");
        var bResult = TraceWriter.WriteFile(new TraceSpec { TargetJsonBytes = 30_000_000, Seed = 12, Rank = 1 }, b, gzip: false);
        var db = dir.File("runs.db");
        Assert.Equal(0, Llmpipe.Run("ingest", small, "--db", db, "--quiet").ExitCode);

        var clock = Stopwatch.StartNew();
        using var first = ChildLlmpipe.Start(staging, "ingest", a, "--db", db, "--quiet");
        using var second = ChildLlmpipe.Start(staging, "ingest", b, "--db", db, "--quiet");
        var reads = 0;
        var seen = new SortedSet<long>();
        while (!(first.HasExited && second.HasExited) && clock.Elapsed < Limit)
        {
            var timeline = Llmpipe.Run("timeline", "--db", db, "--run", "1");
            Assert.True(timeline.ExitCode == 0, timeline.Stderr);
            Assert.DoesNotContain("locked", timeline.Stderr);
            var runs = Llmpipe.Run("sql", "SELECT r.run_id, r.kernel_count, (SELECT count(*) FROM kernels k WHERE k.run_id = r.run_id) AS stored FROM runs r", "--db", db, "--format", "csv");
            Assert.True(runs.ExitCode == 0, runs.Stderr);
            foreach (var row in Parse.Csv(runs.Stdout))
            {
                // A run is visible only when complete.
                Assert.Equal(row["kernel_count"], row["stored"]);
                seen.Add(long.Parse(row["run_id"], System.Globalization.CultureInfo.InvariantCulture));
            }
            reads++;
            Thread.Sleep(50);
        }
        var ra = first.Wait(Limit);
        var rb = second.Wait(Limit);
        output.WriteLine($"both ingests done after {clock.ElapsedMilliseconds} ms; {reads} report reads meanwhile; runs seen: {string.Join(",", seen)}");
        Assert.True(ra.Exit == 0, ra.Stderr);
        Assert.True(rb.Exit == 0, rb.Stderr);
        Assert.DoesNotContain("locked", ra.Stderr + rb.Stderr);
        Assert.True(reads >= 2, $"only {reads} reads happened during the ingests");
        Assert.Equal(3, DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM runs"));
        Assert.Equal(aResult.KernelCount + bResult.KernelCount, DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM kernels WHERE run_id IN (2, 3)"));
        Assert.Equal(1, DatabaseSnapshot.Scalar(db, $"SELECT count(*) FROM runs WHERE kernel_count = {aResult.KernelCount} AND source_path LIKE '%big.json'"));
        Assert.Equal(1, DatabaseSnapshot.Scalar(db, $"SELECT count(*) FROM runs WHERE kernel_count = {bResult.KernelCount} AND source_path LIKE '%b.json'"));
        Assert.Equal("ok", DatabaseSnapshot.IntegrityCheck(db));
        Assert.Empty(Directory.GetFiles(staging));
    }

    /// <summary>
    /// Kill delays in milliseconds at <paramref name="fractions"/> of an uninterrupted ingest of <paramref name="input"/>,
    /// timed first on this machine (into a throwaway database and staging folder), then -1 (the merge's start). Fixed
    /// delays missed on a quiet machine: an ingest that ends before its kill tests nothing, and the next one removes
    /// the staging files the test looks for.
    /// </summary>
    private static int[] KillDelays(TempDir dir, string input, params double[] fractions)
    {
        var clock = Stopwatch.StartNew();
        var timed = ChildLlmpipe.Run(Directory.CreateDirectory(dir.File("timing-staging")).FullName, Limit,
            "ingest", input, "--db", dir.File("timing.db"), "--quiet");
        Assert.True(timed.Exit == 0, timed.Stderr);
        var ms = clock.ElapsedMilliseconds;
        return [.. fractions.Select(f => (int)(ms * f)), -1];
    }

    /// <summary>
    /// Starts <c>llmpipe ingest TRACE</c> and SIGKILLs it after <paramref name="delayMs"/>, or, for -1, at the first write
    /// to the database's WAL: the merge transaction's (its commit, when the transaction fits in the page cache), so the
    /// kill lands just before or just after the commit.
    /// </summary>
    /// <returns>True when the ingest had ended before the kill.</returns>
    private static bool IngestAndKill(string staging, string trace, string db, int delayMs, Stopwatch clock)
    {
        using var child = ChildLlmpipe.Start(staging, "ingest", trace, "--db", db, "--quiet");
        if (delayMs >= 0)
        {
            Thread.Sleep(delayMs);
        }
        else
        {
            var wal = db + "-wal";
            var walBefore = SizeOf(wal);
            while (!child.HasExited && clock.Elapsed < Limit && SizeOf(wal) == walBefore)
                Thread.Sleep(1);
        }
        var exitedBeforeKill = child.HasExited;
        child.Kill();
        return exitedBeforeKill;
    }

    /// <summary>Size of a file that another process may create or delete at any moment (a WAL): 0 while it is absent.</summary>
    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}
