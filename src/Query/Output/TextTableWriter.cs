using LlmPipeline.Analysis.Names;

namespace LlmPipeline.Query.Output;

/// <summary>
/// Aligned text columns separated by two spaces, a dashed rule under the header; numbers right-aligned
/// (docs/reports.md, 'Tables that fit'). A column of links (<c>http://</c>, <c>https://</c>) shows <c>[1]</c>,
/// <c>[2]</c>… and the links follow the table, one per line, whole. Text cells longer than <see cref="MaxCellWidth"/>
/// are shortened (<see cref="NameShortener"/>), and with <see cref="MaxWidth"/> set the text columns are narrowed
/// until every line fits it (<see cref="TableFitter"/>). <c>--format csv|json|markdown</c> keep the full text.
/// </summary>
public sealed class TextTableWriter : IResultWriter
{
    /// <summary>Longest text cell shown, in characters (simplified kernel names are at most 80).</summary>
    public const int MaxCellWidth = 100;

    /// <summary>The width the reports' tables fit by default, in characters, whatever the terminal.</summary>
    public const int DefaultMaxWidth = 100;

    /// <summary>Widest table line, in characters; null: no limit but <see cref="MaxCellWidth"/> per cell.</summary>
    public int? MaxWidth { get; init; }

    /// <inheritdoc />
    public OutputFormat Format => OutputFormat.Table;

    /// <inheritdoc />
    public void Write(ResultTable table, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        var n = table.Columns.Count;
        var links = new List<string>();
        var isLink = Enumerable.Range(0, n).Select(i => IsLinkColumn(table, i)).ToArray();
        var cells = table.Rows.Select(r => Enumerable.Range(0, n).Select(i => Cell(table.Columns[i], r[i], isLink[i], links)).ToArray()).ToList();
        var numeric = Enumerable.Range(0, n).Select(i => table.Rows.Any(r => CellFormatter.IsNumber(r[i]))
                                                         && table.Rows.All(r => r[i] is null || CellFormatter.IsNumber(r[i]))).ToArray();
        var widths = TableFitter.Fit(table.Columns, cells, numeric, MaxWidth ?? int.MaxValue);
        output.WriteLine(Line(table.Columns.ToArray(), widths, numeric));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
            output.WriteLine(Line(row, widths, numeric));
        if (table.Rows.Count == 0) output.WriteLine("(no rows)");
        if (links.Count == 0) return;
        output.WriteLine();
        for (var i = 0; i < links.Count; i++) output.WriteLine($"[{i + 1}] {links[i]}");
    }

    /// <summary>The text of one cell: a link's reference (the link kept in <paramref name="links"/>), else the value shortened to <see cref="MaxCellWidth"/>.</summary>
    private static string Cell(string column, object? value, bool linkColumn, List<string> links)
    {
        var text = CellFormatter.Human(column, value);
        if (!linkColumn || text.Length == 0) return NameShortener.Shorten(text, MaxCellWidth);
        links.Add(text);
        return $"[{links.Count}]";
    }

    private static bool IsLinkColumn(ResultTable table, int i) =>
        table.Rows.Any(r => r[i] is string) && table.Rows.All(r => r[i] is null || (r[i] is string s && IsLink(s)));

    private static bool IsLink(string text) =>
        text.StartsWith("https://", StringComparison.Ordinal) || text.StartsWith("http://", StringComparison.Ordinal);

    private static string Line(string[] values, int[] widths, bool[] numeric) =>
        string.Join("  ", values.Select((v, i) => numeric[i] ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))).TrimEnd();
}
