using LlmPipeline.Analysis.Phases;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Pipeline;

/// <summary>
/// Re-runs <see cref="PhaseAssignment.Apply"/> on a run already in a user's database, with other phase rules (a user
/// <c>--step-markers</c> file). Ingest and resegment already apply a <c>--step-markers</c> file inside their own
/// transaction (<see cref="RunSetup.PhaseRules"/>, <see cref="ResegmentRequest.StepMarkers"/>); the commands call this
/// afterwards only to report how the passes got their phases (the same rules give the same rows). Only <c>passes.phase</c>,
/// <c>phase_source</c>, <c>batch_size</c>, <c>token_count</c>, <c>is_outlier</c> and <c>outlier_reason</c> change, in one
/// <c>BEGIN IMMEDIATE</c> transaction (an error leaves the database as it was).
/// </summary>
public static class PhaseReassignment
{
    /// <summary>Assigns phases to every pass of <paramref name="runId"/> in <paramref name="dbPath"/> with <paramref name="rules"/>.</summary>
    /// <param name="dbPath">The database file (must exist).</param>
    /// <param name="runId">The run.</param>
    /// <param name="rules">The rules (e.g. <see cref="PhaseRules.ForUserFile"/>).</param>
    /// <returns>What the assignment found.</returns>
    /// <exception cref="IngestException">The database or the run does not exist.</exception>
    /// <exception cref="DatabaseException">The database cannot be opened or written.</exception>
    public static PhaseAssignmentResult Apply(string dbPath, long runId, PhaseRules rules)
    {
        ArgumentNullException.ThrowIfNull(dbPath);
        ArgumentNullException.ThrowIfNull(rules);
        if (!File.Exists(dbPath)) throw new IngestException($"{dbPath}: no such database");
        using var connection = LlmDatabase.OpenForWrite(dbPath);
        try
        {
            using var tx = connection.BeginTransaction(deferred: false);
            using (var check = connection.CreateCommand())
            {
                check.Transaction = tx;
                check.CommandText = "SELECT COUNT(*) FROM runs WHERE run_id = $run";
                check.Parameters.AddWithValue("$run", runId);
                if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
                    throw new IngestException($"run {runId} does not exist in {dbPath}");
            }
            var result = PhaseAssignment.Apply(connection, tx, runId, rules);
            tx.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw LlmDatabase.Translate(dbPath, ex);
        }
    }

    /// <summary>One line for the command output: how the passes got their phases.</summary>
    public static string Describe(long runId, string stepMarkersFile, PhaseAssignmentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"run {runId}: phases with step markers from {stepMarkersFile}: {result.ByAnnotation} pass(es) by annotation, " +
               $"{result.ByKernels} by attention kernels, {result.ByGemm} by GEMM size, {result.Unknown} unknown; {result.Outliers} outlier(s)";
    }
}
