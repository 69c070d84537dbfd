using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// Which columns a report's <c>table</c> output shows (docs/reports.md, 'Tables that fit'): the report's default set,
/// chosen so that the table fits <see cref="TextTableWriter.DefaultMaxWidth"/> columns; the <c>--columns</c> given, in
/// their order; or every column with <c>--wide</c>. CSV, JSON and Markdown always carry every column. Shared by every
/// report through <see cref="ReportOptions.Render"/> and <see cref="PassReportContext.Render"/>.
/// </summary>
/// <param name="Picked">The <c>--columns</c> names; null when not given.</param>
/// <param name="Wide"><c>--wide</c>: every column, not narrowed to fit (cells still at most <see cref="TextTableWriter.MaxCellWidth"/>).</param>
public sealed record ColumnSelection(IReadOnlyList<string>? Picked, bool Wide)
{
    /// <summary>No <c>--columns</c>, no <c>--wide</c>: the report's default set.</summary>
    public static readonly ColumnSelection Default = new(null, false);

    /// <summary>Reads <c>--columns a,b,c</c> (null or empty: none).</summary>
    /// <exception cref="UsageException">Both <c>--columns</c> and <c>--wide</c>.</exception>
    public static ColumnSelection Parse(string? columns, bool wide)
    {
        var picked = columns?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (picked is { Length: > 0 } && wide) throw new UsageException("--columns and --wide exclude each other (--wide shows every column)");
        return new ColumnSelection(picked is { Length: > 0 } ? picked : null, wide);
    }

    /// <summary>
    /// The columns of <paramref name="table"/> to show: <c>--wide</c> every one, <c>--columns</c> those named, else
    /// those <paramref name="defaults"/> chooses (null: every column).
    /// </summary>
    /// <exception cref="UsageException">A <c>--columns</c> name the table does not have; the message lists the valid ones.</exception>
    public ResultTable Apply(ResultTable table, DefaultColumns? defaults)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (Wide) return table;
        if (Picked is not null)
        {
            var unknown = Picked.Where(c => !table.Columns.Contains(c, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
                throw new UsageException($"--columns: unknown column{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(c => $"'{c}'"))}; valid columns: {string.Join(", ", table.Columns)}");
            return table.Select([.. Picked]);
        }
        return defaults is null ? table : table.Select([.. defaults.Choose(table)]);
    }

    /// <summary>
    /// Writes <paramref name="table"/> in <paramref name="format"/>: <c>table</c> with the chosen columns, fitted to
    /// <see cref="TextTableWriter.DefaultMaxWidth"/> unless <c>--wide</c>; the other formats with every column.
    /// </summary>
    /// <exception cref="UsageException">An unknown <c>--columns</c> name.</exception>
    public void Render(ResultTable table, OutputFormat format, TextWriter output, DefaultColumns? defaults)
    {
        var shown = Apply(table, defaults); // checks --columns whatever the format
        if (format != OutputFormat.Table)
        {
            ResultRenderer.Render(table, format, output);
            return;
        }
        new TextTableWriter { MaxWidth = Wide ? null : TextTableWriter.DefaultMaxWidth }.Write(shown, output);
    }
}
