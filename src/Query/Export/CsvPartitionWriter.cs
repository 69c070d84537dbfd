using System.Globalization;
using CsvHelper;

namespace LlmPipeline.Query.Export;

/// <summary>RFC 4180 CSV with a header row (CsvHelper): NULL is an empty field, reals in round-trip ("R") form.</summary>
public sealed class CsvPartitionWriter : IPartitionWriter
{
    /// <inheritdoc />
    public string Extension => "csv";

    /// <inheritdoc />
    public long Write(string path, IReadOnlyList<ExportColumn> columns, IEnumerable<object?[]> rows)
    {
        using var text = new StreamWriter(path) { NewLine = "\r\n" };
        using var csv = new CsvWriter(text, CultureInfo.InvariantCulture);
        foreach (var c in columns) csv.WriteField(c.Name);
        csv.NextRecord();
        long count = 0;
        foreach (var row in rows)
        {
            foreach (var value in row)
                csv.WriteField(value switch
                {
                    null => "",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    long l => l.ToString(CultureInfo.InvariantCulture),
                    _ => (string)value,
                });
            csv.NextRecord();
            count++;
        }
        return count;
    }
}
