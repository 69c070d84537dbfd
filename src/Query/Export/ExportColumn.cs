namespace LlmPipeline.Query.Export;

/// <summary>One exported column.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">INTEGER, REAL or TEXT, as documented by <c>llmpipe schema</c>.</param>
public sealed record ExportColumn(string Name, string Type);
