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
    public static int Run(PassReportContext report)
    {
        const string where = PassScope.Filter;
        // Layers come from the layers table; the other parts of the pass (prologue, gaps, epilogue, MTP/draft) from pass_parts.
        var table = report.Query($"""
            SELECT part_key, part, layer_idx, compress_ratio, layer_type, wall_ms, sum_ms, busy_ms, idle_ms, exposed_comm_ms,
                   comm_count, kernel_count
            FROM (
                SELECT 'layer ' || layer_idx AS part_key, 'layer' AS part, layer_idx, compress_ratio, layer_type,
                       wall_us / 1e3 AS wall_ms, sum_us / 1e3 AS sum_ms, busy_us / 1e3 AS busy_ms, idle_us / 1e3 AS idle_ms,
                       exposed_comm_us / 1e3 AS exposed_comm_ms, comm_count, kernel_count, start_ns
                FROM layers WHERE {where}
                UNION ALL
                SELECT part, part, NULL, NULL, NULL, wall_us / 1e3, sum_us / 1e3, busy_us / 1e3, (wall_us - busy_us) / 1e3,
                       NULL, NULL, kernel_count, start_ns
                FROM pass_parts WHERE {where} AND part <> 'layer'
            ) ORDER BY start_ns, layer_idx
            """);
        var groups = report.GroupsByTime("layer_category_time");
        var layerCells = report.Cells(
            $"SELECT 'layer ' || layer_idx, category_group, SUM(time_ms) AS time_ms FROM layer_category_time WHERE {where} GROUP BY layer_idx, category_group");
        // Prologue, epilogue and MTP / draft / backward kernels by role (a gap's kernels, rare, are not split out).
        var otherCells = report.Cells($"""
            SELECT k.role, COALESCE(g.category_group, 'other'), CAST(SUM(k.dur_ns) AS DOUBLE) / 1e6
            FROM _kernel_labels AS k LEFT JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
            WHERE k.{where.Replace(" AND ", " AND k.", StringComparison.Ordinal)} AND k.role <> 'layer'
            GROUP BY k.role, COALESCE(g.category_group, 'other')
            """);
        var partKeys = table.Rows.Select(r => r[0] as string).ToHashSet(StringComparer.Ordinal);
        otherCells = otherCells.Where(c => partKeys.Contains(c.Key as string ?? "")).ToList();
        groups.AddRange(otherCells.Select(c => c.Name).Distinct().Where(g => !groups.Contains(g)).Order(StringComparer.Ordinal).ToList());
        var wide = Pivot.Widen(table, "part_key", layerCells.Concat(otherCells), groups, g => g + "_ms", 0.0, beforeColumn: "comm_count");
        // By default the time columns, then the group columns, most time first, as many as fit (--wide: all).
        var shown = new List<string> { "part", "layer_idx", "layer_type", "wall_ms", "busy_ms", "idle_ms", "kernel_count" };
        if (table.Rows.Any(r => r[table.IndexOf("compress_ratio")] is not null)) shown.Add("compress_ratio");
        report.Render(wide.WithoutColumn("part_key"), new DefaultColumns(shown, [.. groups.Select(g => g + "_ms"), "exposed_comm_ms", "sum_ms"]));
        return ExitCodes.Ok;
    }
}
