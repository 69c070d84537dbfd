using System.CommandLine;
using Dapper;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Layers;

/// <summary>Runs <c>llmpipe layers</c>: <c>layer_detail</c> plus a pivot of <c>layer_category_time</c> by group.</summary>
public static class LayersCommandAction
{
    /// <summary>Prints exactly one row per layer of the pass.</summary>
    public static int Run(LayersCommandDefinition def, ParseResult parse, CliIO io)
    {
        using var db = ReportDatabase.Open(parse.GetValue(def.Db)!);
        var scope = PassScope.Resolve(db, parse.GetValue(def.Run)!.Value, parse.GetValue(def.Device), parse.GetValue(def.Pass), io.Error, parse.GetValue(def.Phase));
        const string where = "run_id = @run AND device = @device AND pass_idx = @pass";
        var table = db.Query($"""
            SELECT layer_idx, compress_ratio, layer_type, wall_ms, sum_ms, busy_ms, idle_ms, exposed_comm_ms,
                   comm_count, kernel_count
            FROM layer_detail WHERE {where} ORDER BY layer_idx
            """, scope.Parameters);
        var groups = db.Connection.Query<string>(
            $"SELECT category_group FROM layer_category_time WHERE {where} GROUP BY category_group ORDER BY SUM(time_us) DESC, category_group",
            scope.Parameters).ToList();
        var cells = db.Query(
            $"SELECT layer_idx, category_group, SUM(time_ms) AS time_ms FROM layer_category_time WHERE {where} GROUP BY layer_idx, category_group",
            scope.Parameters).Rows.Select(r => (r[0], (string)r[1]!, r[2]));
        var wide = Pivot.Widen(table, "layer_idx", cells, groups, g => g + "_ms", 0.0, beforeColumn: "comm_count");
        ResultRenderer.Render(wide, OutputFormats.Parse(parse.GetValue(def.Format)!), io.Output);
        Timeline.GraphReplayNote.Write(db, scope.RunId, io.Error);
        return ExitCodes.Ok;
    }
}
