using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmPipeline.Query.Output;

/// <summary>One JSON document: an array with one object per row, keys = column names, numbers as numbers, NULL as null.</summary>
public sealed class JsonResultWriter : IResultWriter
{
    /// <summary>Writer options shared by every JSON output of llmpipe (indented, non-ASCII kept readable).</summary>
    public static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc />
    public OutputFormat Format => OutputFormat.Json;

    /// <inheritdoc />
    public void Write(ResultTable table, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            WriteRows(json, table);
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Writes the rows as a JSON array into an open writer (for documents that embed a table).</summary>
    public static void WriteRows(Utf8JsonWriter json, ResultTable table)
    {
        json.WriteStartArray();
        foreach (var row in table.Rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < table.Columns.Count; i++)
            {
                json.WritePropertyName(table.Columns[i]);
                WriteValue(json, row[i]);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Writes one cell value: long and double as numbers, string as string, null as null.</summary>
    public static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case long l: json.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): json.WriteRawValue(CellFormatter.Exact(d), skipInputValidation: true); break;
            case double: json.WriteNullValue(); break;
            case decimal m: json.WriteNumberValue(m); break;
            default: json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }
}
