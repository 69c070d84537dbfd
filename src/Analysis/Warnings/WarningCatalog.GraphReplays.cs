namespace LlmPipeline.Analysis.Warnings;

public static partial class WarningCatalog
{
    /// <summary><c>graph_replay_unattributed</c>: graph-replay kernels left without op_name and input_dims, with the reason.</summary>
    public static readonly WarningKind GraphReplayUnattributed = new("graph_replay_unattributed", WarningSeverity.Degraded, WarningStage.GraphReplays,
        "Kernels launched by CUDA/HIP graph replays got no op_name and input_dims from a graph-capture trace; the detail says why (no capture trace, or no partner kernel in it).",
        "Keep the `capture_traces/` folder beside the replay trace, or give --capture-traces DIR. Some engines write no capture traces.",
        "Graph replays record kernels without their operators and shapes, which only the capture traces hold: https://github.com/AMD-AGI/TraceLens/issues/973. See docs/messy-traces.md#b26.");

    /// <summary><c>capture_traces_unused</c>: capture traces were given for a trace without graph replays.</summary>
    public static readonly WarningKind CaptureTracesUnused = new("capture_traces_unused", WarningSeverity.Info, WarningStage.GraphReplays,
        "Capture traces were given with --capture-traces, but the trace has no graph replays, so they were not read.",
        "Nothing; check that the right trace was given.",
        "Only CUDA/HIP graph replays (`cudaGraphLaunch`, `hipGraphLaunch`) need capture traces.");

    /// <summary><c>capture_trace_unreadable</c>: a graph-capture trace could not be read and was skipped.</summary>
    public static readonly WarningKind CaptureTraceUnreadable = new("capture_trace_unreadable", WarningSeverity.Degraded, WarningStage.GraphReplays,
        "A graph-capture trace could not be read and was skipped; replays it would have matched stay unattributed.",
        "The detail names the file and the error; repair or replace the file.",
        "Capture traces are separate files, written per batch size and rank: https://github.com/sgl-project/sglang/issues/24370");

    private static WarningKind[] GraphReplayKinds() => [GraphReplayUnattributed, CaptureTracesUnused, CaptureTraceUnreadable];
}
