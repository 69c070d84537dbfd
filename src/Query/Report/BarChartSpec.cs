namespace LlmPipeline.Query.Report;

/// <summary>What <see cref="SvgBarChart"/> draws.</summary>
/// <param name="Title">Chart title (drawn at the top).</param>
/// <param name="Unit">Unit of every value, shown on the value axis and in tooltips (e.g. <c>ms</c>).</param>
/// <param name="Bars">Bars in display order.</param>
/// <param name="Colors">Series name → CSS colour; series without one get grey.</param>
/// <param name="Horizontal">Bars grow to the right with labels on the left (for long labels), else upwards.</param>
/// <param name="CategoryAxisTitle">Title of the label axis (e.g. <c>layer</c>), or null.</param>
/// <param name="Id">Value of the svg element's <c>id</c> attribute (tests and links find charts by it).</param>
public sealed record BarChartSpec(
    string Title,
    string Unit,
    IReadOnlyList<ChartBar> Bars,
    IReadOnlyDictionary<string, string> Colors,
    bool Horizontal = false,
    string? CategoryAxisTitle = null,
    string? Id = null);
