namespace LlmPipeline.Bench;

/// <summary>
/// The targets of issue 19, by size class: a size up to 0.5 GB is checked as the 193 MB trace, up to 2 GB as
/// its 1 GB trace, above as its 4 GB trace. Every size is checked for the read's CPU / wall.
/// </summary>
internal static class Targets
{
    /// <summary>The sizes run when <c>--sizes</c> is not given: the set.</summary>
    public static readonly string[] DefaultSizes = ["193M", "1G", "4G"];

    /// <summary>1 GB (the default total of the directory of ranks).</summary>
    public const long OneGb = 1_000_000_000;

    /// <summary>During the read, process CPU time / wall time at least this (every size).</summary>
    public const double ReadCores = 1.7;

    /// <summary>193 MB class: at least this many times faster than the Python load.</summary>
    public const double PythonSpeedup = 6;

    /// <summary>193 MB class: at least this many times less peak memory than the Python load.</summary>
    public const double PythonMemory = 8;

    /// <summary>What one size class checks besides <see cref="ReadCores"/> (null: not checked, only printed).</summary>
    /// <param name="CeilingRatio">Ingest MB/s / scan-ceiling MB/s at least this.</param>
    /// <param name="PeakRssMb">Peak RSS at most this, MB.</param>
    /// <param name="ResegmentRatio">resegment and recategorize wall / ingest wall at most this.</param>
    /// <param name="PythonCheck">The Python speed and memory ratios are checked.</param>
    public sealed record Class(double? CeilingRatio, double? PeakRssMb, double? ResegmentRatio, bool PythonCheck);

    /// <summary>The targets of a trace of <paramref name="jsonBytes"/>.</summary>
    public static Class For(long jsonBytes) => jsonBytes switch
    {
        <= 500_000_000 => new Class(null, null, null, PythonCheck: true),
        <= 2_000_000_000 => new Class(CeilingRatio: 1.0, PeakRssMb: 250, ResegmentRatio: 0.2, PythonCheck: false),
        _ => new Class(null, PeakRssMb: 400, null, PythonCheck: false),
    };
}
