using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Report;

/// <summary>
/// Everything one run's report shows, read from the views (no number is computed here except sums of view rows for
/// chart totals): run_summary, pass_timeline, layer_category_time, layer_clusters, layer_cluster_groups,
/// kernel_summary and perfetto_ranges, for the run's lowest device and its default pass (decisions.md §3).
/// </summary>
/// <param name="RunId">Run.</param>
/// <param name="Device">Device reported.</param>
/// <param name="PassIdx">The pass the per-layer charts show.</param>
/// <param name="Summary">run_summary row.</param>
/// <param name="Passes">pass_timeline rows of the device.</param>
/// <param name="LayerCategories">layer_category_time rows of the pass.</param>
/// <param name="Clusters">layer_clusters rows of the pass.</param>
/// <param name="ClusterGroups">layer_cluster_groups rows of the pass.</param>
/// <param name="TopKernels">kernel_summary rows of the pass, grouping 'name', by total time descending (at most 15).</param>
/// <param name="Categories">kernel_summary rows of the pass, grouping 'category'.</param>
/// <param name="Ranges">perfetto_ranges rows of the pass (kind 'pass' first, then layers).</param>
public sealed record RunReportData(
    long RunId, int Device, int PassIdx, ResultTable Summary, ResultTable Passes, ResultTable LayerCategories,
    ResultTable Clusters, ResultTable ClusterGroups, ResultTable TopKernels, ResultTable Categories, ResultTable Ranges)
{
    /// <summary>Top kernels shown.</summary>
    public const int TopKernelCount = 15;

    /// <summary>Loads run <paramref name="runId"/>; the default-pass note goes to <paramref name="notes"/>.</summary>
    /// <exception cref="QueryException">Missing run, or a run without passes (message says what to do).</exception>
    public static RunReportData Load(ReportDatabase db, long runId, int? pass, TextWriter notes)
    {
        db.RequireRun(runId);
        var device = db.ResolveDevice(runId, null);
        var p = db.ResolvePass(runId, device, pass, notes);
        var key = new { run = runId, device, pass = p };
        return new RunReportData(
            runId, device, p,
            db.Query("SELECT * FROM run_summary WHERE run_id = @run", key),
            db.Query("SELECT * FROM pass_timeline WHERE run_id = @run AND device = @device ORDER BY pass_idx", key),
            db.Query("SELECT layer_idx, category_group, SUM(time_ms) AS time_ms FROM layer_category_time WHERE run_id = @run AND device = @device AND pass_idx = @pass GROUP BY layer_idx, category_group ORDER BY layer_idx, category_group", key),
            db.Query("SELECT * FROM layer_clusters WHERE run_id = @run AND device = @device AND pass_idx = @pass ORDER BY first_layer_idx", key),
            db.Query("SELECT * FROM layer_cluster_groups WHERE run_id = @run AND device = @device AND pass_idx = @pass ORDER BY layer_type, category_group", key),
            db.Query($"SELECT simplified_name, category, category_group, kernel_count, total_us, mean_us, share_pct FROM kernel_summary WHERE run_id = @run AND device = @device AND scope = 'pass' AND pass_idx = @pass AND grouping = 'name' ORDER BY total_us DESC, simplified_name LIMIT {TopKernelCount}", key),
            db.Query("SELECT category, category_group, kernel_count, total_us, share_pct FROM kernel_summary WHERE run_id = @run AND device = @device AND scope = 'pass' AND pass_idx = @pass AND grouping = 'category' ORDER BY total_us DESC", key),
            db.Query("SELECT * FROM perfetto_ranges WHERE run_id = @run AND device = @device AND pass_idx = @pass ORDER BY kind DESC, layer_idx", key));
    }
}
