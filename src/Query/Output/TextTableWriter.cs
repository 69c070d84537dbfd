namespace LlmPipeline.Query.Output;

/// <summary>
/// Aligned text columns separated by two spaces, a dashed rule under the header; numbers right-aligned. Text cells
/// longer than <see cref="MaxCellWidth"/> characters (full kernel names, long annotations) are cut with <c>...</c> so a
/// row fits a terminal, except links (<c>http://</c>, <c>https://</c>), which a cut would break; <c>--format
/// csv|json|markdown</c> keep the full text.
/// </summary>
public sealed class TextTableWriter : IResultWriter
{
    /// <summary>Longest text cell shown, in characters (simplified kernel names are at most 80).</summary>
    public const int MaxCellWidth = 100;

    /// <inheritdoc />
    public OutputFormat Format => OutputFormat.Table;

    /// <inheritdoc />
    public void Write(ResultTable table, TextWriter output)
    {
        var n = table.Columns.Count;
        var cells = table.Rows.Select(r => Enumerable.Range(0, n).Select(i => Cut(CellFormatter.Human(table.Columns[i], r[i]))).ToArray()).ToList();
        var numeric = Enumerable.Range(0, n).Select(i => table.Rows.Any(r => CellFormatter.IsNumber(r[i]))
                                                         && table.Rows.All(r => r[i] is null || CellFormatter.IsNumber(r[i]))).ToArray();
        var widths = Enumerable.Range(0, n).Select(i => Math.Max(table.Columns[i].Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        output.WriteLine(Line(table.Columns.ToArray(), widths, numeric));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
            output.WriteLine(Line(row, widths, numeric));
        if (table.Rows.Count == 0) output.WriteLine("(no rows)");
    }

    private static string Cut(string text) =>
        text.Length <= MaxCellWidth || IsLink(text) ? text : text[..(MaxCellWidth - 3)] + "...";

    private static bool IsLink(string text) =>
        text.StartsWith("https://", StringComparison.Ordinal) || text.StartsWith("http://", StringComparison.Ordinal);

    private static string Line(string[] values, int[] widths, bool[] numeric) =>
        string.Join("  ", values.Select((v, i) => numeric[i] ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))).TrimEnd();
}
