using Dapper;
using LlmPipeline.Analysis.Efficiency;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Phases;

/// <summary>
/// Fills <c>pass_attention_lengths</c>: the attention lengths (Σ Sq, Σ Sk, Σ Sq², Σ Sq·Sk of the prefill and decode parts,
/// <see cref="AttentionContext"/>) of each pass whose phase a step annotation carrying them set
/// (<see cref="PhaseAssignment.AnnotationOf"/> of <c>passes.phase_source</c>). The efficiency views complete the work of
/// serving attention kernels and the config's attention with them. Runs after every phase assignment (ingest,
/// resegment) and at a schema upgrade.
/// </summary>
public static class PassAttentionLengths
{
    /// <summary>Replaces the rows of <paramref name="runId"/> (every run when null) from its passes' phase sources.</summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The open transaction, or null.</param>
    /// <param name="runId">The run; null: every run.</param>
    /// <returns>Passes given lengths.</returns>
    /// <exception cref="SqliteException">The database cannot be read or written.</exception>
    public static int Write(SqliteConnection connection, SqliteTransaction? tx, long? runId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.Execute("DELETE FROM pass_attention_lengths WHERE $runId IS NULL OR run_id = $runId", new { runId }, tx);
        var rows = new List<object>();
        foreach (var (run, device, pass, source) in connection.Query<(long, long, long, string?)>(
                     "SELECT run_id, device, pass_idx, phase_source FROM passes WHERE ($runId IS NULL OR run_id = $runId) AND phase_source IS NOT NULL",
                     new { runId }, tx))
        {
            if (PhaseAssignment.AnnotationOf(source) is not { } name || AttentionContext.Parse(name) is not { } a) continue;
            rows.Add(new
            {
                run, device, pass, a.ContextSequences, a.ContextSq, a.ContextSk, a.ContextSqSq, a.ContextSqSk,
                a.GenerationSequences, a.GenerationSq, a.GenerationSk, a.GenerationSqSq, a.GenerationSqSk, name,
            });
        }
        connection.Execute("""
            INSERT INTO pass_attention_lengths (run_id, device, pass_idx, context_seqs, context_sq, context_sk, context_sq_sq,
                context_sq_sk, generation_seqs, generation_sq, generation_sk, generation_sq_sq, generation_sq_sk, annotation)
            VALUES ($run, $device, $pass, $ContextSequences, $ContextSq, $ContextSk, $ContextSqSq, $ContextSqSk,
                $GenerationSequences, $GenerationSq, $GenerationSk, $GenerationSqSq, $GenerationSqSk, $name)
            """, rows, tx);
        return rows.Count;
    }
}
