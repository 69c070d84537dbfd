using Dapper;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Timeline;

/// <summary>
/// The note on graph replays without per-kernel attribution: one stderr line per run whose ingest stored a
/// <c>graph_replay_unattributed</c> warning (CUDA/HIP-graph replay kernels that no capture trace gave a launching
/// cpu_op, so per-kernel op names, shapes and modules are missing from the reports), with the reason stored at ingest.
/// </summary>
public static class GraphReplayNote
{
    /// <summary>Writes the note for <paramref name="run"/> (every run when null) to <paramref name="notes"/>.</summary>
    /// <param name="db">The report database.</param>
    /// <param name="run">Run id, or null for all runs.</param>
    /// <param name="notes">Where the lines go (stderr, so that table output stays parseable).</param>
    public static void Write(ReportDatabase db, long? run, TextWriter notes)
    {
        var rows = db.Connection.Query<(long RunId, string? Detail)>(
            "SELECT run_id, detail FROM ingest_warnings WHERE kind = @kind AND (@run IS NULL OR run_id = @run) ORDER BY run_id",
            new { run, kind = WarningCatalog.GraphReplayUnattributed.Code });
        foreach (var (runId, detail) in rows)
            notes.WriteLine($"note: run {runId}: {detail}; to attribute them, ingest again with --capture-traces DIR (a new run: companion files are part of the run's options)");
    }
}
