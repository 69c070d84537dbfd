namespace LlmPipeline.Query.Output;

/// <summary>A GitHub-flavoured Markdown table; numbers right-aligned, <c>|</c> in text escaped.</summary>
public sealed class MarkdownTableWriter : IResultWriter
{
    /// <inheritdoc />
    public OutputFormat Format => OutputFormat.Markdown;

    /// <inheritdoc />
    public void Write(ResultTable table, TextWriter output)
    {
        var n = table.Columns.Count;
        var numeric = Enumerable.Range(0, n).Select(i => table.Rows.Any(r => CellFormatter.IsNumber(r[i]))).ToArray();
        output.WriteLine("| " + string.Join(" | ", table.Columns.Select(Escape)) + " |");
        output.WriteLine("|" + string.Join("|", numeric.Select(num => num ? "---:" : "---")) + "|");
        foreach (var row in table.Rows)
            output.WriteLine("| " + string.Join(" | ", Enumerable.Range(0, n).Select(i => Escape(CellFormatter.Human(table.Columns[i], row[i])))) + " |");
    }

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
