using LlmPipeline.Analysis.Names;

namespace LlmPipeline.Query.Output;

/// <summary>
/// Narrows the text columns of a text table until its lines fit a width (docs/reports.md, 'Tables that fit'): while
/// the table is too wide, the widest text column is cut to what the excess leaves (never below its header or
/// <see cref="MinColumnWidth"/>), its cells shortened by <see cref="NameShortener"/> (a kernel keeps its namespace head
/// and loses its template arguments first). Numbers are never cut; a table whose numbers alone are too wide stays so.
/// </summary>
public static class TableFitter
{
    /// <summary>Narrowest a text column is cut to, in characters (unless its header is wider).</summary>
    public const int MinColumnWidth = 12;

    /// <summary>Column separator width in characters (two spaces).</summary>
    public const int Gap = 2;

    /// <summary>Shortens cells of <paramref name="cells"/> (rows × columns, changed in place) so that the table fits <paramref name="maxWidth"/>.</summary>
    /// <param name="headers">Column names.</param>
    /// <param name="cells">Formatted cells, one array per row.</param>
    /// <param name="numeric">Per column: right-aligned numbers, never cut.</param>
    /// <param name="maxWidth">Widest line allowed, in characters.</param>
    /// <returns>The column widths after fitting.</returns>
    public static int[] Fit(IReadOnlyList<string> headers, IReadOnlyList<string[]> cells, IReadOnlyList<bool> numeric, int maxWidth)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(numeric);
        var n = headers.Count;
        var widths = Enumerable.Range(0, n).Select(i => Width(headers, cells, i)).ToArray();
        while (true)
        {
            var excess = widths.Sum() + Gap * Math.Max(0, n - 1) - maxWidth;
            if (excess <= 0) return widths;
            var candidates = Enumerable.Range(0, n).Where(i => !numeric[i] && widths[i] > Floor(headers, i)).ToList();
            if (candidates.Count == 0) return widths;
            var widest = candidates.MaxBy(i => widths[i]);
            var target = Math.Max(Floor(headers, widest), widths[widest] - excess);
            foreach (var row in cells) row[widest] = NameShortener.Shorten(row[widest], target);
            widths[widest] = Width(headers, cells, widest);
        }
    }

    private static int Floor(IReadOnlyList<string> headers, int i) => Math.Max(MinColumnWidth, headers[i].Length);

    private static int Width(IReadOnlyList<string> headers, IReadOnlyList<string[]> cells, int i) =>
        Math.Max(headers[i].Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length));
}
