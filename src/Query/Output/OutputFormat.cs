namespace LlmPipeline.Query.Output;

/// <summary>Output formats of every report (docs/reports.md, 'Output formats').</summary>
public enum OutputFormat
{
    /// <summary>Aligned text columns (the llm-pipeline-analysis "text"; <c>text</c> is accepted as a synonym).</summary>
    Table,

    /// <summary>RFC 4180 CSV with a header row.</summary>
    Csv,

    /// <summary>One JSON document: an array of row objects, numbers as numbers.</summary>
    Json,

    /// <summary>A GitHub-flavoured Markdown table.</summary>
    Markdown,
}

/// <summary>Parses format names given on the command line.</summary>
public static class OutputFormats
{
    /// <summary>The names <c>--format</c> accepts for every report.</summary>
    public static readonly string[] Names = ["table", "text", "csv", "json", "markdown"];

    /// <summary>Parses a name from <see cref="Names"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static OutputFormat Parse(string name) => name.ToLowerInvariant() switch
    {
        "table" or "text" => OutputFormat.Table,
        "csv" => OutputFormat.Csv,
        "json" => OutputFormat.Json,
        "markdown" or "md" => OutputFormat.Markdown,
        _ => throw new ArgumentException($"unknown format '{name}'; use one of {string.Join(", ", Names)}"),
    };
}
