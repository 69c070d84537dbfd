using System.Globalization;
using System.Text.Json;
using Dapper;
using LlmPipeline.Analysis.Warnings;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Captures;

/// <summary>
/// After the files of a group are ingested, records what their names and metadata say, in one transaction: the
/// serving phase from the file name (<c>runs.phase</c>), and for a capture the <c>captures</c> row and each run's
/// <c>capture_id</c>, <c>rank</c>, <c>world_size</c> and time offset (<see cref="CaptureTimeAligner"/>).
/// Rank precedence (docs/messy-traces.md, B27): <c>distributedInfo.rank</c> &gt; file-name rank &gt; 0 with a warning;
/// a conflict between the two, a rank given twice and ranks missing from a set are reported and stored as
/// <c>ingest_warnings</c> (kinds <c>rank_conflict</c>, <c>rank_unknown</c>, <c>rank_duplicate</c>, <c>capture_missing_ranks</c>).
/// The runs of one merged multi-rank file (B24) form their capture as they are merged (<see cref="AssignMergedFile"/>),
/// their ranks from the file's rank labels; the later steps give all of them the file's phase and never regroup them.
/// </summary>
public static class CaptureAssigner
{
    /// <summary>Applies <paramref name="group"/>'s names to its ingested runs.</summary>
    /// <param name="main">Open connection to the user's database.</param>
    /// <param name="group">The group as formed by <see cref="CaptureGrouper"/>.</param>
    /// <param name="runs">The group's files that were ingested (or already present) with their run ids.</param>
    public static CaptureAssignment Assign(SqliteConnection main, CaptureGroup group, IReadOnlyList<(TraceFileName File, long RunId)> runs)
    {
        using var tx = main.BeginTransaction(deferred: false);
        foreach (var (file, runId) in runs)
            if (file.Phase is not null)
                main.Execute($"UPDATE runs SET phase = $phase WHERE run_id IN ({SameFileRuns}) AND phase IS NULL", new { phase = file.Phase, runId }, tx);
        if (!group.IsCapture || runs.Count == 0)
        {
            tx.Commit();
            return new CaptureAssignment(null, null, null, new Dictionary<long, long>(), new Dictionary<long, string>(), []);
        }
        var nameRanks = NameRanks(runs.Select(r => r.File).ToList());
        var members = runs.Select(r => (Label: Path.GetFileName(r.File.Path), r.RunId, NameRank: nameRanks[r.File])).ToList();
        var result = AssignCapture(main, tx, group.Name!, members);
        tx.Commit();
        return result;
    }

    /// <summary>
    /// Groups lone files (names without a rank) that sit in one directory and whose <c>distributedInfo</c> gives
    /// distinct ranks of one world size above 1 into one capture each.
    /// </summary>
    /// <returns>One assignment per capture formed.</returns>
    public static IReadOnlyList<CaptureAssignment> AssignByDistributedInfo(SqliteConnection main, IReadOnlyList<(TraceFileName File, long RunId)> lone)
    {
        var infos = lone.Where(l => !IsMergedFileRun(main, l.RunId))
            .Select(l => (l.File, l.RunId, Info: ReadDistributedInfo(main, null, l.RunId)))
            .Where(l => l.Info.Rank is not null && l.Info.WorldSize > 1)
            .GroupBy(l => (Dir: Path.GetDirectoryName(Path.GetFullPath(l.File.Path)) ?? "", l.Info.WorldSize))
            .Where(g => g.Count() >= 2 && g.Select(x => x.Info.Rank).Distinct().Count() == g.Count())
            .ToList();
        var results = new List<CaptureAssignment>();
        foreach (var g in infos)
        {
            using var tx = main.BeginTransaction(deferred: false);
            var name = Path.GetFileName(g.Key.Dir) + "/* (distributedInfo)";
            results.Add(AssignCapture(main, tx, name, g.Select(x => (Path.GetFileName(x.File.Path), x.RunId, (int?)null)).ToList()));
            tx.Commit();
        }
        return results;
    }

    /// <summary>
    /// Puts the runs of one merged multi-rank file (one run per rank label, docs/messy-traces.md, B24) into a new capture
    /// named <paramref name="name"/>, with the given ranks and world size = number of runs. Their events come from one
    /// file, so they already share one clock: the time offset is 0 (aligning them on collective kernels would hide the
    /// launch skew a user wants to see). Meant to run inside the transaction that merges the runs, so the file's runs
    /// and their capture land together or not at all.
    /// </summary>
    /// <param name="main">Open connection to the user's database.</param>
    /// <param name="tx">The merge transaction.</param>
    /// <param name="name">The capture's name (the file name).</param>
    /// <param name="runs">Each run with its rank.</param>
    /// <returns>The new capture id.</returns>
    public static long AssignMergedFile(SqliteConnection main, SqliteTransaction tx, string name, IReadOnlyList<(long RunId, long Rank)> runs)
    {
        var captureId = main.ExecuteScalar<long>("INSERT INTO captures (name, world_size, created_at) VALUES ($name, $worldSize, $now); SELECT last_insert_rowid();",
            new { name, worldSize = runs.Count, now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) }, tx);
        foreach (var (runId, rank) in runs)
            main.Execute("UPDATE runs SET capture_id = $captureId, rank = $rank, world_size = $worldSize WHERE run_id = $runId",
                new { captureId, rank, worldSize = runs.Count, runId }, tx);
        main.Execute("UPDATE runs SET time_offset_ns = 0, time_alignment = 'one merged file: the ranks share its clock' WHERE capture_id = $captureId",
            new { captureId }, tx);
        return captureId;
    }

    /// <summary>SQL selecting the run <c>$runId</c> and the other runs of its file in its capture (a merged multi-rank file).</summary>
    private const string SameFileRuns = """
        SELECT $runId UNION SELECT r2.run_id FROM runs r1 JOIN runs r2
            ON r2.capture_id = r1.capture_id AND r2.source_sha256 = r1.source_sha256 AND r2.options_key = r1.options_key
        WHERE r1.run_id = $runId
        """;

    /// <summary>True when the run shares its capture with another run of the same file (a merged multi-rank file's capture).</summary>
    private static bool IsMergedFileRun(SqliteConnection main, long runId) =>
        main.ExecuteScalar<long>($"SELECT count(*) FROM ({SameFileRuns})", new { runId }) > 1;

    private static CaptureAssignment AssignCapture(SqliteConnection main, SqliteTransaction tx, string name,
        IReadOnlyList<(string Label, long RunId, int? NameRank)> members)
    {
        var warnings = new List<(long RunId, string Kind, string Text)>();
        var ranks = new Dictionary<long, long>();
        long? worldSize = null;
        foreach (var (label, runId, nameRank) in members)
        {
            var info = ReadDistributedInfo(main, tx, runId);
            if (info.WorldSize is long ws) worldSize = Math.Max(worldSize ?? 0, ws);
            long rank;
            if (info.Rank is long r)
            {
                rank = r;
                if (nameRank is int n && n != r)
                    warnings.Add((runId, WarningCatalog.RankConflict.Code, $"{label}: the file name says rank {n}, distributedInfo.rank says {r}; using {r}"));
            }
            else if (nameRank is int n)
            {
                rank = n;
            }
            else
            {
                rank = 0;
                warnings.Add((runId, WarningCatalog.RankUnknown.Code, $"{label}: neither distributedInfo.rank nor the file name gives a rank; using 0"));
            }
            ranks[runId] = rank;
        }
        foreach (var dup in ranks.GroupBy(kv => kv.Value).Where(g => g.Count() > 1))
            foreach (var kv in dup)
                warnings.Add((kv.Key, WarningCatalog.RankDuplicate.Code, $"capture {name}: rank {dup.Key} is given by runs {string.Join(", ", dup.Select(d => d.Key))}"));
        if (worldSize is long size)
        {
            var missing = Enumerable.Range(0, (int)Math.Min(size, 1 << 16)).Where(r => !ranks.ContainsValue(r)).ToList();
            if (missing.Count > 0)
                foreach (var runId in ranks.Keys)
                    warnings.Add((runId, WarningCatalog.CaptureMissingRanks.Code,
                        $"capture {name}: world_size is {size} but no file was given for rank{(missing.Count > 1 ? "s" : "")} {MissingList(missing)}"));
        }

        var captureId = ExistingCapture(main, tx, ranks.Keys.ToList())
            ?? main.ExecuteScalar<long>("INSERT INTO captures (name, world_size, created_at) VALUES ($name, $worldSize, $now); SELECT last_insert_rowid();",
                new { name, worldSize, now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) }, tx);
        main.Execute("UPDATE captures SET world_size = COALESCE($worldSize, world_size) WHERE capture_id = $captureId", new { worldSize, captureId }, tx);
        var runWorldSize = worldSize ?? ranks.Count;
        foreach (var (runId, rank) in ranks)
            main.Execute("UPDATE runs SET capture_id = $captureId, rank = $rank, world_size = COALESCE(world_size, $runWorldSize) WHERE run_id = $runId",
                new { captureId, rank, runWorldSize, runId }, tx);
        main.Execute("DELETE FROM captures WHERE capture_id NOT IN (SELECT capture_id FROM runs WHERE capture_id IS NOT NULL)", transaction: tx);
        foreach (var (runId, kind, text) in warnings)
            main.Execute("""
                INSERT INTO ingest_warnings (run_id, kind, count, first_byte_offset, detail) VALUES ($runId, $kind, 1, NULL, $text)
                ON CONFLICT (run_id, kind) DO UPDATE SET detail = excluded.detail
                """, new { runId, kind, text }, tx);
        var alignment = CaptureTimeAligner.Align(main, tx, captureId);
        return new CaptureAssignment(captureId, name, worldSize, ranks, alignment,
            warnings.Select(w => w.Text).Distinct().ToList());
    }

    /// <summary>The capture every one of the runs already belongs to, if they all share one.</summary>
    private static long? ExistingCapture(SqliteConnection main, SqliteTransaction tx, IReadOnlyList<long> runIds)
    {
        var ids = main.Query<long?>($"SELECT DISTINCT capture_id FROM runs WHERE run_id IN ({string.Join(",", runIds)})", transaction: tx).ToList();
        return ids.Count == 1 ? ids[0] : null;
    }

    /// <summary>File-name ranks; when the TP index repeats (several DP/PP groups), the ordinal of the sorted index tuple.</summary>
    private static Dictionary<TraceFileName, int?> NameRanks(IReadOnlyList<TraceFileName> files)
    {
        var byRank = files.Where(f => f.Rank is not null).GroupBy(f => f.Rank).Any(g => g.Count() > 1);
        if (!byRank) return files.ToDictionary(f => f, f => f.Rank);
        var ordered = files.OrderBy(f => string.Join(",", f.RankParts.Reverse().Select(p => p.ToString("D9", CultureInfo.InvariantCulture))), StringComparer.Ordinal).ToList();
        return files.ToDictionary(f => f, f => f.Rank is null ? null : (int?)ordered.IndexOf(f));
    }

    /// <summary><c>distributedInfo.rank</c> and <c>world_size</c> as stored in <c>trace_metadata</c> (numbers or numeric strings).</summary>
    public static (long? Rank, long? WorldSize) ReadDistributedInfo(SqliteConnection main, SqliteTransaction? tx, long runId)
    {
        var json = main.QueryFirstOrDefault<string?>("SELECT value FROM trace_metadata WHERE run_id = $runId AND key = 'distributedInfo'", new { runId }, tx);
        if (string.IsNullOrEmpty(json)) return (null, null);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
            return (Get(doc.RootElement, "rank"), Get(doc.RootElement, "world_size"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static long? Get(JsonElement o, string key)
    {
        if (!o.TryGetProperty(key, out var e)) return null;
        return e.ValueKind switch
        {
            JsonValueKind.Number when e.TryGetInt64(out var v) => v,
            JsonValueKind.String when long.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) => v,
            _ => null,
        };
    }

    /// <summary>Most missing ranks a warning names; a 128-rank capture read from two files lists 10, then the count.</summary>
    private const int ListedRanks = 10;

    private static string MissingList(List<int> missing) =>
        missing.Count <= ListedRanks
            ? string.Join(", ", missing)
            : $"{string.Join(", ", missing.Take(ListedRanks))} and {missing.Count - ListedRanks} more ({missing.Count} missing)";
}
