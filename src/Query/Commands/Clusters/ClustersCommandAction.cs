using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Clusters;

/// <summary>Runs <c>llmpipe clusters</c>: <c>layer_clusters</c> plus a pivot of <c>layer_cluster_groups</c> shares.</summary>
public static class ClustersCommandAction
{
    /// <summary>Prints one row per layer type, in order of the type's first layer.</summary>
    public static int Run(PassReportContext report)
    {
        const string where = PassScope.Filter;
        var table = report.Query($"""
            SELECT layer_type, layer_count, avg_wall_ms, avg_sum_ms, avg_busy_ms, avg_idle_ms, avg_exposed_comm_ms
            FROM layer_clusters WHERE {where} ORDER BY first_layer_idx
            """);
        var cells = report.Cells($"SELECT layer_type, category_group, share_pct FROM layer_cluster_groups WHERE {where}");
        var groups = report.GroupsByTime("layer_cluster_groups");
        // By default the group shares, most time first, as many as fit; --wide adds avg_sum_ms and avg_exposed_comm_ms.
        var defaults = new DefaultColumns(["layer_type", "layer_count", "avg_wall_ms", "avg_busy_ms"], [.. groups.Select(g => g + "_pct"), "avg_idle_ms"]);
        report.Render(Pivot.Widen(table, "layer_type", cells, groups, g => g + "_pct", 0.0), defaults);
        return ExitCodes.Ok;
    }
}
