using Parquet;
using Parquet.Schema;

namespace LlmPipeline.Query.Export;

/// <summary>
/// Parquet files written with Parquet.Net: INTEGER → INT64 (nanoseconds stay exact), REAL → DOUBLE, TEXT → string,
/// every column optional (nullable). Row groups of at most <see cref="RowGroupRows"/> rows; a partition without rows
/// still gets a file with the schema, so engines that glob the folder always find every column.
/// </summary>
public sealed class ParquetPartitionWriter : IPartitionWriter
{
    /// <summary>Rows per row group (bounds the memory one partition needs).</summary>
    public const int RowGroupRows = 1_000_000;

    /// <inheritdoc />
    public string Extension => "parquet";

    /// <inheritdoc />
    public long Write(string path, IReadOnlyList<ExportColumn> columns, IEnumerable<object?[]> rows) =>
        WriteAsync(path, columns, rows).GetAwaiter().GetResult();

    private static async Task<long> WriteAsync(string path, IReadOnlyList<ExportColumn> columns, IEnumerable<object?[]> rows)
    {
        var fields = columns.Select(Field).ToArray();
        var schema = new ParquetSchema(fields);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        var buffer = new List<object?[]>(Math.Min(RowGroupRows, 65_536));
        long count = 0;
        foreach (var row in rows)
        {
            buffer.Add(row);
            count++;
            if (buffer.Count == RowGroupRows)
            {
                await WriteRowGroup(writer, fields, columns, buffer);
                buffer.Clear();
            }
        }
        if (buffer.Count > 0) await WriteRowGroup(writer, fields, columns, buffer);
        return count;
    }

    private static DataField Field(ExportColumn c) => c.Type switch
    {
        "INTEGER" => new DataField<long?>(c.Name),
        "REAL" => new DataField<double?>(c.Name),
        _ => new DataField<string>(c.Name, true),
    };

    private static async Task WriteRowGroup(ParquetWriter writer, DataField[] fields, IReadOnlyList<ExportColumn> columns, List<object?[]> rows)
    {
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
        {
            switch (columns[c].Type)
            {
                case "INTEGER":
                    var longs = new long?[rows.Count];
                    for (var i = 0; i < rows.Count; i++) longs[i] = (long?)rows[i][c];
                    await group.WriteAsync(fields[c], new ReadOnlyMemory<long?>(longs));
                    break;
                case "REAL":
                    var reals = new double?[rows.Count];
                    for (var i = 0; i < rows.Count; i++) reals[i] = (double?)rows[i][c];
                    await group.WriteAsync(fields[c], new ReadOnlyMemory<double?>(reals));
                    break;
                default:
                    var texts = new string[rows.Count];
                    for (var i = 0; i < rows.Count; i++) texts[i] = (string)rows[i][c]!;
                    await group.WriteAsync(fields[c], texts);
                    break;
            }
        }
    }
}
