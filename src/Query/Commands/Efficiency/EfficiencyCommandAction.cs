using System.CommandLine;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Efficiency;

/// <summary>Runs <c>llmpipe efficiency</c> over the efficiency views; columns are kept few so a row fits 100 columns.</summary>
public static class EfficiencyCommandAction
{
    /// <summary>Prints the pass line on stderr and one row per kernel, layer or layer type.</summary>
    /// <exception cref="QueryException">Unknown run or pass.</exception>
    public static int Run(EfficiencyCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        var runId = def.Options.RunId(parse);
        var device = db.ResolveDevice(runId, null);
        var pass = PassScope.ResolvePass(db, runId, device, parse.GetValue(def.Options.Pass), null, io.Error);
        var layer = parse.GetValue(def.Layer);
        var p = new { runId, device, pass, layer };
        var head = db.Query("""
            SELECT e.phase, e.flops, e.achieved_tflops, e.peak_dtype, e.peak_tflops, e.mfu_pct, e.mbu_pct, r.gpu_name
            FROM pass_efficiency AS e JOIN runs AS r ON r.run_id = e.run_id
            WHERE e.run_id = @runId AND e.device = @device AND e.pass_idx = @pass
            """, p);
        if (head.Rows.Count == 1)
        {
            var r = head.Rows[0];
            static double? D(object? v) => v is null or DBNull ? null : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture);
            io.Error.WriteLine(EfficiencyPassLine.For(runId, pass, r[0] as string, D(r[1]), D(r[2]), r[3] as string, D(r[4]), D(r[5]), D(r[6]), r[7] as string));
        }
        var sql = parse.GetValue(def.By) switch
        {
            "kernel" => """
                SELECT kernel_idx AS k, layer_idx AS layer, SUBSTR(op_name, 1, 22) AS op_name, flops, bytes, dur_ns, ROUND(achieved_tflops, 1) AS tflops,
                       ROUND(pct_peak_compute, 1) AS cmp_pct, ROUND(pct_peak_bandwidth, 1) AS bw_pct, bound
                FROM kernel_efficiency
                WHERE run_id = @runId AND device = @device AND pass_idx = @pass AND (@layer IS NULL OR layer_idx = @layer)
                ORDER BY kernel_idx
                """,
            "layer-type" => """
                SELECT layer_type, COUNT(*) AS layers, SUM(flops) AS flops, SUM(bytes) AS bytes, ROUND(SUM(wall_us), 1) AS wall_us,
                       ROUND(CAST(SUM(flops) AS DOUBLE) / (SUM(wall_us) * 1e6), 1) AS tflops,
                       ROUND(100.0 * CAST(SUM(flops) AS DOUBLE) / (SUM(wall_us) * 1e6) / MAX(peak_tflops), 1) AS mfu_pct,
                       ROUND(100.0 * CAST(SUM(bytes) AS DOUBLE) / (SUM(wall_us) * 1e3) / MAX(peak_gbps), 1) AS mbu_pct
                FROM layer_efficiency
                WHERE run_id = @runId AND device = @device AND pass_idx = @pass AND (@layer IS NULL OR layer_idx = @layer)
                GROUP BY layer_type ORDER BY layer_type
                """,
            _ => """
                SELECT layer_idx AS layer, layer_type, flops, bytes, ROUND(wall_us, 1) AS wall_us, ROUND(achieved_tflops, 1) AS tflops,
                       ROUND(achieved_gbps, 0) AS gbps, ROUND(mfu_pct, 1) AS mfu_pct, ROUND(mbu_pct, 1) AS mbu_pct, flops_source AS src
                FROM layer_efficiency
                WHERE run_id = @runId AND device = @device AND pass_idx = @pass AND (@layer IS NULL OR layer_idx = @layer)
                ORDER BY layer_idx
                """,
        };
        def.Options.Render(db.Query(sql, p), parse, io.Output);
        return ExitCodes.Ok;
    }
}
