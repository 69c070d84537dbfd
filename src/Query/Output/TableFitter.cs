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
        var originals = cells.Select(r => (string[])r.Clone()).ToList();
        while (true)
        {
            var excess = widths.Sum() + Gap * Math.Max(0, n - 1) - maxWidth;
            if (excess <= 0) return widths;
            var candidates = Enumerable.Range(0, n).Where(i => !numeric[i] && widths[i] > Floor(headers, i)).ToList();
            if (candidates.Count == 0) return widths;
            var widest = candidates.MaxBy(i => widths[i]);
            var target = Math.Max(Floor(headers, widest), widths[widest] - excess);
            foreach (var row in cells) row[widest] = NameShortener.Shorten(row[widest], target);
            KeepApart(originals, cells, widest, target);
            widths[widest] = Width(headers, cells, widest);
        }
    }

    /// <summary>
    /// Cells of column <paramref name="column"/> that were different before the cut and read alike after it (GEMM
    /// kernels whose names differ only in their tile sizes, deep in the middle) are cut again around where their
    /// originals part: the head, <c>…</c>, then the text from a little before the first differing character. Rows still
    /// alike after that keep their cut.
    /// </summary>
    private static void KeepApart(IReadOnlyList<string[]> originals, IReadOnlyList<string[]> cells, int column, int width)
    {
        foreach (var group in Enumerable.Range(0, cells.Count).GroupBy(r => cells[r][column], StringComparer.Ordinal))
        {
            var rows = group.ToList();
            var texts = rows.Select(r => originals[r][column]).Distinct(StringComparer.Ordinal).ToList();
            if (texts.Count < 2) continue;
            var differ = texts.Skip(1).Min(t => CommonPrefix(texts[0], t));
            var cut = rows.ToDictionary(r => r, r => NameShortener.AroundPosition(originals[r][column], differ, width));
            if (cut.Values.Distinct(StringComparer.Ordinal).Count() < texts.Count) continue;
            foreach (var (row, text) in cut) cells[row][column] = text;
        }
    }

    private static int CommonPrefix(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return i;
    }

    private static int Floor(IReadOnlyList<string> headers, int i) => Math.Max(MinColumnWidth, headers[i].Length);

    private static int Width(IReadOnlyList<string> headers, IReadOnlyList<string[]> cells, int i) =>
        Math.Max(headers[i].Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length));
}
