using System.CommandLine;
using Dapper;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Layers;

/// <summary>
/// Runs <c>llmpipe layers</c>: the parts of the pass (<c>pass_parts</c>: prologue, each layer with its
/// <c>layer_detail</c> columns, any gap, epilogue, MTP / draft blocks) in time order, plus a pivot of the kernel time
/// of each part by category group.
/// </summary>
public static class LayersCommandAction
{
    /// <summary>Prints one row per part of the pass: exactly one per layer, and one per non-empty other part.</summary>
    public static int Run(LayersCommandDefinition def, ParseResult parse, CliIO io)
    {
        using var db = ReportDatabase.Open(parse.GetValue(def.Db)!);
        var scope = PassScope.Resolve(db, parse.GetValue(def.Run)!.Value, parse.GetValue(def.Device), parse.GetValue(def.Pass), io.Error, parse.GetValue(def.Phase));
        const string where = "run_id = @run AND device = @device AND pass_idx = @pass";
        var table = db.Query($"""
            SELECT x.part || CASE WHEN x.layer_idx IS NULL THEN '' ELSE ' ' || x.layer_idx END AS part_key,
                   x.part, x.layer_idx, l.compress_ratio, l.layer_type, x.wall_us / 1e3 AS wall_ms, x.sum_us / 1e3 AS sum_ms,
                   x.busy_us / 1e3 AS busy_ms, (x.wall_us - x.busy_us) / 1e3 AS idle_ms,
                   l.exposed_comm_us / 1e3 AS exposed_comm_ms, l.comm_count, x.kernel_count
            FROM pass_parts AS x
            LEFT JOIN layers AS l ON l.run_id = x.run_id AND l.device = x.device AND l.pass_idx = x.pass_idx
                                  AND l.layer_idx = x.layer_idx AND x.part = 'layer'
            WHERE x.{where.Replace(" AND ", " AND x.", StringComparison.Ordinal)}
            ORDER BY x.start_ns, x.layer_idx
            """, scope.Parameters);
        var groups = db.Connection.Query<string>(
            $"SELECT category_group FROM layer_category_time WHERE {where} GROUP BY category_group ORDER BY SUM(time_us) DESC, category_group",
            scope.Parameters).ToList();
        var layerCells = db.Query(
            $"SELECT 'layer ' || layer_idx, category_group, SUM(time_ms) AS time_ms FROM layer_category_time WHERE {where} GROUP BY layer_idx, category_group",
            scope.Parameters).Rows.Select(r => (r[0], (string)r[1]!, r[2]));
        // Prologue, epilogue and MTP / draft / backward kernels by role (a gap's kernels, rare, are not split out).
        var otherCells = db.Query($"""
            SELECT k.role, COALESCE(g.category_group, 'other'), CAST(SUM(k.dur_ns) AS DOUBLE) / 1e6
            FROM kernel_rows AS k LEFT JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
            WHERE k.{where.Replace(" AND ", " AND k.", StringComparison.Ordinal)} AND k.role <> 'layer'
            GROUP BY k.role, COALESCE(g.category_group, 'other')
            """, scope.Parameters).Rows.Select(r => (r[0], (string)r[1]!, r[2])).ToList();
        groups.AddRange(otherCells.Select(c => c.Item2).Distinct().Where(g => !groups.Contains(g)).Order(StringComparer.Ordinal).ToList());
        var wide = Pivot.Widen(table, "part_key", layerCells.Concat(otherCells), groups, g => g + "_ms", 0.0, beforeColumn: "comm_count");
        ResultRenderer.Render(wide.WithoutColumn("part_key"), OutputFormats.Parse(parse.GetValue(def.Format)!), io.Output);
        Timeline.GraphReplayNote.Write(db, scope.RunId, io.Error);
        return ExitCodes.Ok;
    }
}
