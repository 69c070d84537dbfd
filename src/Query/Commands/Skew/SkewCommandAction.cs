using System.CommandLine;
using System.Globalization;
using Dapper;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Skew;

/// <summary>Runs <c>llmpipe skew</c>: pivots <c>rank_layer_skew</c> to one row per layer, one column per rank.</summary>
public static class SkewCommandAction
{
    /// <summary>Prints one row per layer of the pass.</summary>
    /// <exception cref="QueryException">Unknown capture or pass.</exception>
    public static int Run(SkewCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        var captureId = parse.GetValue(def.Capture)!.Value;
        var ranks = db.Connection.Query<(long Rank, long RunId)>(
            "SELECT rank, run_id FROM runs WHERE capture_id = @captureId ORDER BY rank, run_id", new { captureId }).ToList();
        if (ranks.Count == 0)
        {
            var ids = db.Connection.Query<long>("SELECT capture_id FROM captures ORDER BY capture_id").ToList();
            throw new QueryException(ids.Count == 0
                ? $"capture {captureId} does not exist: the database has no captures (ingest the rank files of a run with one 'llmpipe ingest' command)"
                : $"capture {captureId} does not exist; valid capture ids: {ReportDatabase.Ranges(ids)}");
        }
        var lowest = ranks[0].RunId;
        var device = db.ResolveDevice(lowest, null);
        var notes = new StringWriter();
        var pass = PassScope.ResolvePass(db, lowest, device, parse.GetValue(def.Pass), null, notes);
        var note = notes.ToString().Trim();
        if (note.Length > 0) io.Error.WriteLine($"rank {ranks[0].Rank} (run {lowest}): {note}");

        var param = new { captureId, pass };
        var table = db.Query("""
            SELECT layer_idx, MIN(layer_type) AS layer_type, MAX(spread_us) AS spread_us, MIN(slowest_rank) AS slowest_rank,
                   MAX(start_skew_us) AS start_spread_us, MAX(rank_count) AS rank_count
            FROM rank_layer_skew WHERE capture_id = @captureId AND pass_idx = @pass
            GROUP BY layer_idx ORDER BY layer_idx
            """, param);
        var rankNames = ranks.Select(r => r.Rank.ToString(CultureInfo.InvariantCulture)).Distinct().ToList();
        var rows = db.Query("SELECT layer_idx, rank, wall_us, comm_us FROM rank_layer_skew WHERE capture_id = @captureId AND pass_idx = @pass", param).Rows;
        var wall = rows.Select(r => (r[0], CellFormatter.Exact(r[1]), r[2]));
        var comm = rows.Select(r => (r[0], CellFormatter.Exact(r[1]), r[3]));
        var wide = Pivot.Widen(table, "layer_idx", wall, rankNames, r => $"rank_{r}_wall_us", null, beforeColumn: "spread_us");
        wide = Pivot.Widen(wide, "layer_idx", comm, rankNames, r => $"rank_{r}_comm_us", null, beforeColumn: "start_spread_us");
        // By default the spread columns, then each rank's wall while they fit (--wide: every rank's wall and comm time).
        var defaults = new DefaultColumns(["layer_idx", "layer_type", "spread_us", "slowest_rank", "start_spread_us"],
            [.. rankNames.Select(r => $"rank_{r}_wall_us"), "rank_count"]);
        def.Options.Render(wide, parse, io.Output, defaults);
        return ExitCodes.Ok;
    }
}
