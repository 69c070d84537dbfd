namespace LlmPipeline.Query.Report;

/// <summary>One segment of a stacked bar: a series (e.g. a category group) and its value in the chart's unit.</summary>
/// <param name="Series">Series name (legend entry).</param>
/// <param name="Value">Value, in <see cref="BarChartSpec.Unit"/>; zero and negative segments are not drawn.</param>
public sealed record ChartSegment(string Series, double Value);

/// <summary>One bar of a chart: its label and stacked segments (bottom or left first).</summary>
/// <param name="Label">Axis label (e.g. the layer index).</param>
/// <param name="Segments">Segments, drawn in order.</param>
/// <param name="Marker">Optional short tag drawn above the bar and added to its tooltip (e.g. <c>cold</c>).</param>
public sealed record ChartBar(string Label, IReadOnlyList<ChartSegment> Segments, string? Marker = null)
{
    /// <summary>Sum of the positive segments.</summary>
    public double Total => Segments.Where(s => s.Value > 0).Sum(s => s.Value);
}
