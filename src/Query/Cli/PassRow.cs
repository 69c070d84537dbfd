using LlmPipeline.Analysis.Segmentation;

namespace LlmPipeline.Query.Cli;

/// <summary>A stored <c>passes</c> row as the reports read it (Dapper maps the snake_case columns).</summary>
internal sealed class PassRow
{
    public long PassIdx { get; set; }
    public long StartNs { get; set; }
    public long EndNs { get; set; }
    public double WallUs { get; set; }
    public double SumUs { get; set; }
    public double BusyUs { get; set; }
    public double IdleUs { get; set; }
    public double ExposedCommUs { get; set; }
    public long KernelCount { get; set; }
    public long LayerCount { get; set; }
    public long IsPartial { get; set; }
    public string? Note { get; set; }
    public string? Phase { get; set; }
    public long IsOutlier { get; set; }

    /// <summary>Wall of layer 0 of the pass, µs; only filled by queries that join it.</summary>
    public double? Layer0WallUs { get; set; }

    /// <summary>The row as the analysis library's pass summary.</summary>
    public PassSummary ToSummary() => new((int)PassIdx, new KernelTotals(StartNs, EndNs, WallUs, SumUs, BusyUs, IdleUs, ExposedCommUs, (int)KernelCount),
        (int)LayerCount, IsPartial != 0, Note, Phase);
}
