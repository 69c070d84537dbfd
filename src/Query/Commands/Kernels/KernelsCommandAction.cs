using System.CommandLine;
using System.Text.Json;
using Dapper;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Kernels;

/// <summary>Runs <c>llmpipe kernels</c>.</summary>
public static class KernelsCommandAction
{
    /// <summary>The extra format name of this command.</summary>
    public const string ComputeFlow = "compute-flow";

    private static readonly string[] FlatColumns =
    [
        "layer_idx", "hotness_rank", "kernel_idx", "half", "category", "category_group", "simplified_name", "dur_us",
        "share_pct", "ts_rel_ms", "stream", "op_name", "input_dims", "perfetto_ts_ns", "name",
    ];

    /// <summary>Prints one layer (and the comparison layer) in the chosen format.</summary>
    public static int Run(KernelsCommandDefinition def, ParseResult parse, CliIO io)
    {
        var formatName = def.Options.FormatName(parse);
        using var db = def.Options.OpenDatabase(parse);
        var scope = def.Options.ResolveScope(db, parse, io.Error);
        var layerIdx = parse.GetValue(def.Layer)!.Value;
        db.RequireLayer(scope.RunId, scope.Device, scope.PassIdx, layerIdx);
        var compareIdx = parse.GetValue(def.CompareLayer);
        if (compareIdx is int c) db.RequireLayer(scope.RunId, scope.Device, scope.PassIdx, c);
        var layer = LayerKernels.Load(db, scope, layerIdx);
        var comparison = compareIdx is int c2 ? LayerKernels.Load(db, scope, c2) : null;

        if (formatName == ComputeFlow)
        {
            var run = db.Query("SELECT config_json, num_layers FROM runs WHERE run_id = @run", new { run = scope.RunId }).Rows[0];
            var clusters = db.Query(
                "SELECT layer_type, layer_count FROM layer_clusters WHERE run_id = @run AND device = @device AND pass_idx = @pass ORDER BY first_layer_idx",
                scope.Parameters);
            ArchitectureSummary.Write((string?)run[0], (long?)run[1], clusters, io.Output);
            ComputeFlowReport.Write(layer, io.Output);
            if (comparison is not null)
            {
                io.Output.WriteLine();
                ComputeFlowReport.Write(comparison, io.Output);
                KernelDiff.Of(layer, comparison).Write(io.Output, layer.LayerIdx, comparison.LayerIdx);
            }
            return ExitCodes.Ok;
        }

        var format = OutputFormats.Parse(formatName);
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(layer, comparison, io.Output);
                break;
            case OutputFormat.Table:
                var columns = def.Options.ColumnSelection(parse);
                KernelsTextReport.Write(layer, io.Output, columns);
                if (comparison is not null)
                {
                    io.Output.WriteLine();
                    KernelsTextReport.Write(comparison, io.Output, columns);
                    KernelDiff.Of(layer, comparison).Write(io.Output, layer.LayerIdx, comparison.LayerIdx);
                }
                break;
            default:
                var rows = layer.Kernels.Select(FlatColumns).Rows.ToList();
                if (comparison is not null) rows.AddRange(comparison.Kernels.Select(FlatColumns).Rows);
                ResultRenderer.Render(new ResultTable(FlatColumns, rows), format, io.Output);
                break;
        }
        return ExitCodes.Ok;
    }

    /// <summary>One JSON document: the layer's, or with a comparison {primary, comparison, kernel_diff} (docs/reference-analysis.md, 'Kernel breakdown' and 'Later versions').</summary>
    public static void WriteJson(LayerKernels layer, LayerKernels? comparison, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonResultWriter.Options))
        {
            if (comparison is null)
            {
                KernelsJsonDocument.WriteLayer(json, layer);
            }
            else
            {
                var diff = KernelDiff.Of(layer, comparison);
                json.WriteStartObject();
                json.WritePropertyName("primary");
                KernelsJsonDocument.WriteLayer(json, layer);
                json.WritePropertyName("comparison");
                KernelsJsonDocument.WriteLayer(json, comparison);
                json.WriteStartObject("kernel_diff");
                json.WriteStartArray("only_primary");
                foreach (var n in diff.OnlyPrimary) json.WriteStringValue(n);
                json.WriteEndArray();
                json.WriteStartArray("only_comparison");
                foreach (var n in diff.OnlyComparison) json.WriteStringValue(n);
                json.WriteEndArray();
                json.WriteNumber("common_count", diff.CommonCount);
                json.WriteEndObject();
                json.WriteEndObject();
            }
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
