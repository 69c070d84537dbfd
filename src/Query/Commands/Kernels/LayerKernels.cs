using Dapper;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Kernels;

/// <summary>Everything the kernels report prints about one layer, read from the views (no value computed here).</summary>
/// <param name="Scope">The run, device and pass.</param>
/// <param name="LayerIdx">The layer.</param>
/// <param name="Detail">The layer's <c>layer_detail</c> row.</param>
/// <param name="Totals">The layer's <c>layers</c> row (exact µs totals for the JSON metadata).</param>
/// <param name="Categories"><c>layer_category_time</c> rows, by time descending then first appearance.</param>
/// <param name="Kernels"><c>layer_kernels</c> rows in hotness order.</param>
/// <param name="NumLayers"><c>runs.num_layers</c>.</param>
public sealed record LayerKernels(
    PassScope Scope, int LayerIdx, ResultTable Detail, ResultTable Totals, ResultTable Categories, ResultTable Kernels, long? NumLayers)
{
    /// <summary>A value of the <c>layer_detail</c> row.</summary>
    public object? DetailValue(string column) => Detail.Rows[0][Detail.IndexOf(column)];

    /// <summary>A value of the <c>layers</c> row.</summary>
    public object? TotalsValue(string column) => Totals.Rows[0][Totals.IndexOf(column)];

    /// <summary>The layer's label, e.g. <c>MIDDLE+CSA_C4+MOE</c>.</summary>
    public string LayerType => (string)DetailValue("layer_type")!;

    /// <summary>The layer's compress ratio, or null.</summary>
    public long? CompressRatio => DetailValue("compress_ratio") as long?;

    /// <summary>The distinct simplified kernel names of the layer.</summary>
    public IReadOnlySet<string> SimplifiedNames =>
        Kernels.Rows.Select(r => (string)r[Kernels.IndexOf("simplified_name")]!).ToHashSet(StringComparer.Ordinal);

    /// <summary>Loads one layer (the layer must exist: check with <see cref="ReportDatabase.RequireLayer"/>).</summary>
    public static LayerKernels Load(ReportDatabase db, PassScope scope, int layer)
    {
        var p = new { run = scope.RunId, device = scope.Device, pass = scope.PassIdx, layer };
        const string where = "run_id = @run AND device = @device AND pass_idx = @pass AND layer_idx = @layer";
        var detail = db.Query($"SELECT * FROM layer_detail WHERE {where}", p);
        var totals = db.Query($"SELECT wall_us, sum_us, busy_us, idle_us, exposed_comm_us, kernel_count FROM layers WHERE {where}", p);
        var categories = db.Query($"""
            SELECT category, category_group, label, time_us, share_pct, kernel_count, first_kernel_idx
            FROM layer_category_time WHERE {where} ORDER BY time_us DESC, first_kernel_idx
            """, p);
        var kernels = db.Query($"""
            SELECT layer_idx, hotness_rank, kernel_idx, half, category, category_group, simplified_name, dur_us, share_pct,
                   ts_rel_ms, stream, op_name, input_dims, name, ts_ns, dur_ns, perfetto_ts_ns
            FROM layer_kernels WHERE {where} ORDER BY hotness_rank
            """, p);
        var numLayers = db.Connection.ExecuteScalar<long?>("SELECT num_layers FROM runs WHERE run_id = @run", p);
        return new LayerKernels(scope, layer, detail, totals, categories, kernels, numLayers);
    }
}
