using Dapper;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Timeline;

/// <summary>
/// The "no per-kernel attribution for graph replays" note (field-problems.md B26): one stderr line per run whose
/// ingest stored a <c>graph_replay_unattributed</c> warning (CUDA-graph replay kernels without a launching cpu_op,
/// so per-kernel op names and shapes are missing from the reports).
/// </summary>
public static class GraphReplayNote
{
    /// <summary>Writes the note for <paramref name="run"/> (every run when null) to <paramref name="notes"/>.</summary>
    /// <param name="db">The report database.</param>
    /// <param name="run">Run id, or null for all runs.</param>
    /// <param name="notes">Where the lines go (stderr, so that table output stays parseable).</param>
    public static void Write(ReportDatabase db, long? run, TextWriter notes)
    {
        var rows = db.Connection.Query<(long RunId, long Count)>(
            "SELECT run_id, count FROM ingest_warnings WHERE kind = 'graph_replay_unattributed' AND (@run IS NULL OR run_id = @run) ORDER BY run_id",
            new { run });
        foreach (var (runId, count) in rows)
            notes.WriteLine($"note: run {runId}: no per-kernel attribution for graph replays ({count} replay kernels without op_name/input_dims); ingest again with --capture-traces DIR (a new run: companion files are part of the run's options)");
    }
}
