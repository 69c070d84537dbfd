using System.Text.Json;

namespace LlmPipeline.Query.Export;

/// <summary>JSON Lines: one object per row, keys in column order; integers and reals as numbers, NULL as null.</summary>
public sealed class JsonlPartitionWriter : IPartitionWriter
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <inheritdoc />
    public string Extension => "jsonl";

    /// <inheritdoc />
    public long Write(string path, IReadOnlyList<ExportColumn> columns, IEnumerable<object?[]> rows)
    {
        using var stream = new BufferedStream(File.Create(path), 1 << 16);
        long count = 0;
        foreach (var row in rows)
        {
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                for (var c = 0; c < columns.Count; c++)
                {
                    w.WritePropertyName(columns[c].Name);
                    switch (row[c])
                    {
                        case null: w.WriteNullValue(); break;
                        case long l: w.WriteNumberValue(l); break;
                        case double d: w.WriteNumberValue(d); break;
                        default: w.WriteStringValue((string)row[c]!); break;
                    }
                }
                w.WriteEndObject();
            }
            stream.Write(NewLine);
            count++;
        }
        return count;
    }
}
