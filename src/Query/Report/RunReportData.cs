using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Report;

/// <summary>
/// Everything one run's report shows, read from the views (no number is computed here except sums of view rows for
/// chart totals): run_summary, pass_timeline, layer_category_time, layer_clusters, layer_cluster_groups,
/// kernel_summary and perfetto_ranges, for the run's lowest device and its default pass (docs/segmentation.md, 'Pass notes and the default pass').
/// </summary>
/// <param name="RunId">Run.</param>
/// <param name="Device">Device reported.</param>
/// <param name="PassIdx">The pass the per-layer charts show.</param>
/// <param name="PassReason">Why it is that pass: the default-pass rule's sentence (<see cref="PassScope.Choose"/>), or
/// <c>asked for with --pass</c>.</param>
/// <param name="Summary">run_summary row.</param>
/// <param name="Passes">pass_timeline rows of the device.</param>
/// <param name="LayerCategories">layer_category_time rows of the pass.</param>
/// <param name="Clusters">layer_clusters rows of the pass.</param>
/// <param name="ClusterGroups">layer_cluster_groups rows of the pass.</param>
/// <param name="TopKernels">kernel_summary rows of the pass, grouping 'name', by total time descending (at most 15).</param>
/// <param name="Categories">kernel_summary rows of the pass, grouping 'category'.</param>
/// <param name="Ranges">perfetto_ranges rows of the pass (kind 'pass' first, then layers).</param>
/// <param name="Efficiency">pass_efficiency row of the pass (peak_dtype, peak_tflops, peak_gbps, mfu_pct, mbu_pct, flops_source).</param>
/// <param name="Shapes">kernel_efficiency of the pass, one row per kernel shape with FLOPs (op_name, formula, kernels,
/// mean achieved_tflops, flops_per_byte): the roofline's points.</param>
/// <param name="LayerTypeEfficiency">layer_efficiency of the pass per layer type: layers, FLOPs, bytes, wall_us,
/// mfu_pct and mbu_pct (the type's work over its layers' summed wall times).</param>
public sealed record RunReportData(
    long RunId, int Device, int PassIdx, string PassReason, ResultTable Summary, ResultTable Passes, ResultTable LayerCategories,
    ResultTable Clusters, ResultTable ClusterGroups, ResultTable TopKernels, ResultTable Categories, ResultTable Ranges,
    ResultTable Efficiency, ResultTable Shapes, ResultTable LayerTypeEfficiency)
{
    /// <summary>Top kernels shown.</summary>
    public const int TopKernelCount = 15;

    /// <summary>Loads run <paramref name="runId"/> for pass <paramref name="pass"/>, or its default pass, whose choice
    /// also goes to <paramref name="notes"/> as <c>run R: pass N chosen: &lt;why&gt;</c>.</summary>
    /// <exception cref="QueryException">Missing run, or a run without passes (message says what to do).</exception>
    public static RunReportData Load(ReportDatabase db, long runId, int? pass, TextWriter notes)
    {
        db.RequireRun(runId);
        var device = db.ResolveDevice(runId, null);
        var (p, reason) = PassScope.Choose(db, runId, device, pass, null);
        if (pass is null) notes.WriteLine($"run {runId}: {PassScope.ChoiceLine(p, reason)}");
        var key = new { run = runId, device, pass = p };
        return new RunReportData(
            runId, device, p, reason,
            db.Query("SELECT * FROM run_summary WHERE run_id = @run", key),
            db.Query("SELECT * FROM pass_timeline WHERE run_id = @run AND device = @device ORDER BY pass_idx", key),
            db.Query("SELECT layer_idx, category_group, SUM(time_ms) AS time_ms FROM layer_category_time WHERE run_id = @run AND device = @device AND pass_idx = @pass GROUP BY layer_idx, category_group ORDER BY layer_idx, category_group", key),
            db.Query("SELECT * FROM layer_clusters WHERE run_id = @run AND device = @device AND pass_idx = @pass ORDER BY first_layer_idx", key),
            db.Query("SELECT * FROM layer_cluster_groups WHERE run_id = @run AND device = @device AND pass_idx = @pass ORDER BY layer_type, category_group", key),
            db.Query($"SELECT simplified_name, category, category_group, kernel_count, total_us, mean_us, share_pct FROM kernel_summary WHERE run_id = @run AND device = @device AND scope = 'pass' AND pass_idx = @pass AND grouping = 'name' ORDER BY total_us DESC, simplified_name LIMIT {TopKernelCount}", key),
            db.Query("SELECT category, category_group, kernel_count, total_us, share_pct FROM kernel_summary WHERE run_id = @run AND device = @device AND scope = 'pass' AND pass_idx = @pass AND grouping = 'category' ORDER BY total_us DESC", key),
            db.Query("SELECT * FROM perfetto_ranges WHERE run_id = @run AND device = @device AND pass_idx = @pass ORDER BY kind DESC, layer_idx", key),
            db.Query("SELECT peak_dtype, peak_tflops, peak_gbps, mfu_pct, mbu_pct, flops_source FROM pass_efficiency WHERE run_id = @run AND device = @device AND pass_idx = @pass", key),
            db.Query("""
                SELECT op_name, formula, COUNT(*) AS kernels, AVG(achieved_tflops) AS tflops, MAX(flops_per_byte) AS flops_per_byte
                FROM kernel_efficiency WHERE run_id = @run AND device = @device AND pass_idx = @pass AND flops > 0 AND achieved_tflops > 0
                GROUP BY op_name, formula ORDER BY op_name, formula
                """, key),
            db.Query("""
                SELECT layer_type, COUNT(*) AS layers, SUM(flops) AS flops, SUM(bytes) AS bytes, SUM(wall_us) AS wall_us,
                       100.0 * CAST(SUM(flops) AS DOUBLE) / (SUM(wall_us) * 1e6) / MAX(peak_tflops) AS mfu_pct,
                       100.0 * CAST(SUM(bytes) AS DOUBLE) / (SUM(wall_us) * 1e3) / MAX(peak_gbps) AS mbu_pct,
                       MIN(flops_source) AS flops_source
                FROM layer_efficiency WHERE run_id = @run AND device = @device AND pass_idx = @pass
                GROUP BY layer_type ORDER BY layer_type
                """, key));
    }
}
