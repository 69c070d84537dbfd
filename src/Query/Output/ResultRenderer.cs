namespace LlmPipeline.Query.Output;

/// <summary>The one place that picks the writer for a format: every report renders through it.</summary>
public static class ResultRenderer
{
    /// <summary>The writer for <paramref name="format"/>.</summary>
    public static IResultWriter For(OutputFormat format) => format switch
    {
        OutputFormat.Table => new TextTableWriter(),
        OutputFormat.Csv => new CsvResultWriter(),
        OutputFormat.Json => new JsonResultWriter(),
        OutputFormat.Markdown => new MarkdownTableWriter(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Writes <paramref name="table"/> to <paramref name="output"/> in <paramref name="format"/>.</summary>
    public static void Render(ResultTable table, OutputFormat format, TextWriter output) => For(format).Write(table, output);
}
