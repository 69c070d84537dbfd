using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Timeline;

/// <summary>Runs <c>llmpipe timeline</c>.</summary>
public static class TimelineCommandAction
{
    /// <summary>The table's default columns; <c>--wide</c> shows every column of <c>pass_timeline</c> but <c>wall_ms</c>.</summary>
    public static readonly DefaultColumns Defaults = new(
        ["run_id", "device", "pass_idx", "duration_ms", "note", "phase", "layer_count", "replay_coverage"],
        ["kernel_count", "start_s", "is_outlier", "avg_layer_ms"]);

    /// <summary>
    /// Prints <c>pass_timeline</c> for one run or all, ordered by run, device, pass, without <c>wall_ms</c>: the same
    /// value as <c>duration_ms</c> (end - start of the pass).
    /// </summary>
    public static int Run(TimelineCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        // Stored warnings and notes were said once, at ingest (llmpipe warnings --run N lists them): not repeated here;
        // replay_coverage carries the graph-replay fact per pass.
        var (table, _) = def.Options.Select(db, parse, "pass_timeline", "run_id, device, pass_idx");
        def.Options.Render(table.WithoutColumn("wall_ms"), parse, io.Output, Defaults);
        return ExitCodes.Ok;
    }
}
