using Dapper;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Timeline;

/// <summary>
/// Notes on stderr (so that table output stays parseable) for the runs whose ingest stored a warning that changes how
/// a report reads: one line per such run, after the report.
/// </summary>
public static class WarningNotes
{
    /// <summary>
    /// The "CPU and GPU clocks differ" note, for each run with a <c>clock_domain_mismatch</c> warning (kernels before
    /// their launches, or a median launch → kernel delay over 1 s; ROCm/rocm-systems#11667): the timeline's
    /// <c>start_s</c> / <c>end_s</c> then count from a trace start on the other clock.
    /// </summary>
    /// <param name="db">The report database.</param>
    /// <param name="run">Run id, or null for all runs.</param>
    /// <param name="notes">Where the lines go.</param>
    public static void ClockDomains(ReportDatabase db, long? run, TextWriter notes) =>
        Write(db, run, WarningCatalog.ClockDomainMismatch, notes, (runId, _) =>
            $"note: run {runId}: CPU and GPU timestamps come from different clocks, so start_s/end_s (from the trace start) mix both; pass durations are right (llmpipe warnings --run {runId})");

    /// <summary>
    /// The note on graph replays without per-kernel attribution, for each run with a <c>graph_replay_unattributed</c>
    /// warning (CUDA/HIP-graph replay kernels that no capture trace gave a launching cpu_op, so per-kernel op names,
    /// shapes and modules are missing from the reports), with the reason stored at ingest.
    /// </summary>
    /// <param name="db">The report database.</param>
    /// <param name="run">Run id, or null for all runs.</param>
    /// <param name="notes">Where the lines go.</param>
    public static void GraphReplays(ReportDatabase db, long? run, TextWriter notes) =>
        Write(db, run, WarningCatalog.GraphReplayUnattributed, notes, (runId, detail) =>
            $"note: run {runId}: {detail}; to attribute them, ingest again with --capture-traces DIR (a new run: companion files are part of the run's options)");

    /// <summary>Writes <paramref name="line"/>(run id, stored detail) for each run (of <paramref name="run"/>, or every run) with a warning of <paramref name="kind"/>, in run order.</summary>
    private static void Write(ReportDatabase db, long? run, WarningKind kind, TextWriter notes, Func<long, string?, string> line)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notes);
        var rows = db.Connection.Query<(long RunId, string? Detail)>(
            "SELECT run_id, detail FROM ingest_warnings WHERE kind = @kind AND (@run IS NULL OR run_id = @run) ORDER BY run_id",
            new { run, kind = kind.Code });
        foreach (var (runId, detail) in rows)
            notes.WriteLine(line(runId, detail));
    }
}
