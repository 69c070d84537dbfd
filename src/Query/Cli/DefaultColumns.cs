using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// A report's default <c>table</c> columns (docs/reports.md, 'Tables that fit'): <paramref name="Shown"/> always (those
/// the result has), then each of <paramref name="WhileTheyFit"/> in turn as long as the table stays within
/// <see cref="TextTableWriter.DefaultMaxWidth"/> characters (e.g. the per-category-group columns of <c>layers</c>, most
/// time first). A column whose every cell is empty (NULL or blank) is left out of the default, so that it takes no
/// room from one that says something (e.g. <c>timeline</c>'s <c>replay_coverage</c> of a run without graph replays);
/// <c>--wide</c> and <c>--columns</c> show it. The chosen columns keep the result's column order.
/// </summary>
/// <param name="Shown">Columns always shown.</param>
/// <param name="WhileTheyFit">Columns added in this order while they fit; null: none.</param>
public sealed record DefaultColumns(IReadOnlyList<string> Shown, IReadOnlyList<string>? WhileTheyFit = null)
{
    /// <summary>The columns of <paramref name="table"/> to show, in the table's order.</summary>
    public IReadOnlyList<string> Choose(ResultTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var chosen = Shown.Where(c => table.Columns.Contains(c, StringComparer.Ordinal) && !IsEmpty(table, c)).ToHashSet(StringComparer.Ordinal);
        var width = chosen.Sum(c => Width(table, c) + TableFitter.Gap) - TableFitter.Gap;
        foreach (var column in WhileTheyFit ?? [])
        {
            if (chosen.Contains(column) || !table.Columns.Contains(column, StringComparer.Ordinal) || IsEmpty(table, column)) continue;
            var added = Width(table, column) + (chosen.Count > 0 ? TableFitter.Gap : 0);
            if (width + added > TextTableWriter.DefaultMaxWidth) break;
            chosen.Add(column);
            width += added;
        }
        return table.Columns.Where(chosen.Contains).ToList();
    }

    /// <summary>True when <paramref name="table"/> has rows and every cell of <paramref name="column"/> is NULL or blank.</summary>
    private static bool IsEmpty(ResultTable table, string column)
    {
        var i = table.IndexOf(column);
        return table.Rows.Count > 0 && table.Rows.All(r => r[i] is null or DBNull || r[i] is string text && string.IsNullOrWhiteSpace(text));
    }

    /// <summary>The width a column takes in a text table: its header or its widest cell (cut to <see cref="TextTableWriter.MaxCellWidth"/>).</summary>
    private static int Width(ResultTable table, string column)
    {
        var i = table.IndexOf(column);
        var cells = table.Rows.Count == 0 ? 0 : table.Rows.Max(r => CellFormatter.Human(column, r[i]).Length);
        return Math.Max(column.Length, Math.Min(cells, TextTableWriter.MaxCellWidth));
    }
}
