namespace LlmPipeline.Query.Export;

/// <summary>What one export wrote.</summary>
/// <param name="Files">Files written, relative to the output folder, with their row counts.</param>
public sealed record ExportSummary(IReadOnlyList<(string RelativePath, long Rows)> Files);
