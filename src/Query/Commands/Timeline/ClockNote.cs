using Dapper;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Timeline;

/// <summary>
/// The "CPU and GPU clocks differ" note: one stderr line per run whose ingest stored a <c>clock_domain_mismatch</c>
/// warning (kernels before their launches, or a median launch → kernel delay over 1 s; ROCm/rocm-systems#11667), since
/// the timeline's <c>start_s</c> / <c>end_s</c> then count from a trace start on the other clock.
/// </summary>
public static class ClockNote
{
    /// <summary>Writes the note for <paramref name="run"/> (every run when null) to <paramref name="notes"/>.</summary>
    /// <param name="db">The report database.</param>
    /// <param name="run">Run id, or null for all runs.</param>
    /// <param name="notes">Where the lines go (stderr, so that table output stays parseable).</param>
    public static void Write(ReportDatabase db, long? run, TextWriter notes)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notes);
        var runs = db.Connection.Query<long>(
            "SELECT run_id FROM ingest_warnings WHERE kind = @kind AND (@run IS NULL OR run_id = @run) ORDER BY run_id",
            new { run, kind = WarningCatalog.ClockDomainMismatch.Code });
        foreach (var runId in runs)
            notes.WriteLine($"note: run {runId}: CPU and GPU timestamps come from different clocks, so start_s/end_s (from the trace start) mix both; pass durations are right (llmpipe warnings --run {runId})");
    }
}
