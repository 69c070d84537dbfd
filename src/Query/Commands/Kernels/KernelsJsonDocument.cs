using System.Text.Json;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Kernels;

/// <summary>
/// The llm-pipeline-analysis JSON document of one layer (docs/reference-analysis.md, 'Kernel breakdown'): <c>metadata</c>, <c>category_summary</c>
/// (keyed by category key, in order of first appearance) and <c>kernels</c> (hotness order). Durations and absolute
/// <c>ts</c> are written as exact decimals of the stored nanoseconds (ns / 1000). Keys added to the scripts':
/// <c>run_id</c>, <c>device</c>, <c>layer_type</c>, <c>busy_us</c>, <c>idle_us</c>, <c>exposed_comm_us</c>, per
/// kernel <c>category_group</c>, <c>kernel_idx</c>, <c>stream</c>, <c>op_name</c>, <c>share_pct</c>.
/// </summary>
public static class KernelsJsonDocument
{
    /// <summary>Writes one layer's document as the current JSON value.</summary>
    public static void WriteLayer(Utf8JsonWriter json, LayerKernels layer)
    {
        json.WriteStartObject();
        json.WriteStartObject("metadata");
        json.WriteNumber("run_id", layer.Scope.RunId);
        json.WriteNumber("device", layer.Scope.Device);
        json.WriteNumber("fwd_pass", layer.Scope.PassIdx);
        json.WriteNumber("layer_id", layer.LayerIdx);
        json.WriteString("layer_type", layer.LayerType);
        json.WriteNumber("compress_ratio", layer.CompressRatio ?? -1);
        Write(json, "num_layers", layer.NumLayers);
        Write(json, "wall_us", layer.TotalsValue("wall_us"));
        Write(json, "total_dur_us", layer.TotalsValue("sum_us"));
        Write(json, "busy_us", layer.TotalsValue("busy_us"));
        Write(json, "idle_us", layer.TotalsValue("idle_us"));
        Write(json, "exposed_comm_us", layer.TotalsValue("exposed_comm_us"));
        Write(json, "num_kernels", layer.TotalsValue("kernel_count"));
        json.WriteEndObject();

        var c = layer.Categories;
        json.WriteStartObject("category_summary");
        foreach (var row in c.Rows.OrderBy(r => (long)r[c.IndexOf("first_kernel_idx")]!))
        {
            json.WriteStartObject((string)row[c.IndexOf("category")]!);
            Write(json, "dur_us", row[c.IndexOf("time_us")]);
            Write(json, "count", row[c.IndexOf("kernel_count")]);
            Write(json, "share_pct", row[c.IndexOf("share_pct")]);
            json.WriteString("category_group", (string?)row[c.IndexOf("category_group")]);
            json.WriteEndObject();
        }
        json.WriteEndObject();

        var k = layer.Kernels;
        json.WriteStartArray("kernels");
        foreach (var row in k.Rows)
        {
            object? V(string column) => row[k.IndexOf(column)];
            json.WriteStartObject();
            json.WriteString("name", (string?)V("name"));
            json.WriteString("simplified_name", (string?)V("simplified_name"));
            json.WriteNumber("dur_us", (long)V("dur_ns")! / 1000m);
            json.WriteString("category", (string?)V("category"));
            json.WriteString("category_group", (string?)V("category_group"));
            Write(json, "half", V("half"));
            json.WriteNumber("ts", (long)V("ts_ns")! / 1000m);
            json.WritePropertyName("input_dims");
            WriteJsonText(json, (string?)V("input_dims"));
            json.WriteNull("output_dims");
            Write(json, "kernel_idx", V("kernel_idx"));
            Write(json, "stream", V("stream"));
            Write(json, "op_name", V("op_name"));
            Write(json, "share_pct", V("share_pct"));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, string name, object? value)
    {
        json.WritePropertyName(name);
        JsonResultWriter.WriteValue(json, value);
    }

    /// <summary>Embeds stored JSON text (e.g. <c>[[1, 4096]]</c>) as JSON, or as a string when it does not parse; null as null.</summary>
    private static void WriteJsonText(Utf8JsonWriter json, string? text)
    {
        if (text is null) { json.WriteNullValue(); return; }
        try
        {
            using var doc = JsonDocument.Parse(text);
            doc.RootElement.WriteTo(json);
        }
        catch (JsonException)
        {
            json.WriteStringValue(text);
        }
    }
}
