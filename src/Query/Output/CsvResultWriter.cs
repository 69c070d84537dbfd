using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace LlmPipeline.Query.Output;

/// <summary>RFC 4180 CSV (CsvHelper): a header row of column names, CRLF line ends, full-precision numbers, NULL as an empty field.</summary>
public sealed class CsvResultWriter : IResultWriter
{
    /// <inheritdoc />
    public OutputFormat Format => OutputFormat.Csv;

    /// <inheritdoc />
    public void Write(ResultTable table, TextWriter output)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" };
        using var csv = new CsvWriter(output, config, leaveOpen: true);
        foreach (var column in table.Columns) csv.WriteField(column);
        csv.NextRecord();
        foreach (var row in table.Rows)
        {
            foreach (var value in row) csv.WriteField(CellFormatter.Exact(value));
            csv.NextRecord();
        }
        csv.Flush();
    }
}
