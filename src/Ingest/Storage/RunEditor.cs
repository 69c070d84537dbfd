using System.Text.Json;
using Dapper;
using LlmPipeline.Ingest.Captures;
using LlmPipeline.Ingest.GraphReplays;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// Changes a stored run after ingest: its tags and label, or removes it. Each change is one transaction.
/// </summary>
public static class RunEditor
{
    /// <summary>Sets tag <paramref name="key"/> of run <paramref name="runId"/> to <paramref name="value"/> in <c>runs.tags</c> (a JSON object).</summary>
    /// <returns>The run's tags after the change, as JSON; null when the run does not exist.</returns>
    public static string? Tag(SqliteConnection main, long runId, string key, string value)
    {
        using var tx = main.BeginTransaction(deferred: false);
        var json = main.QueryFirstOrDefault<string?>("SELECT tags FROM runs WHERE run_id = $runId", new { runId }, tx);
        if (json is null) return null;
        Dictionary<string, JsonElement> tags;
        try
        {
            tags = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];
        }
        catch (JsonException)
        {
            tags = [];
        }
        tags[key] = JsonSerializer.SerializeToElement(value);
        var updated = JsonSerializer.Serialize(tags);
        main.Execute("UPDATE runs SET tags = $updated WHERE run_id = $runId", new { updated, runId }, tx);
        tx.Commit();
        return updated;
    }

    /// <summary>Sets the label of run <paramref name="runId"/>.</summary>
    /// <returns>False when the run does not exist.</returns>
    public static bool Label(SqliteConnection main, long runId, string label) =>
        main.Execute("UPDATE runs SET label = $label WHERE run_id = $runId", new { label, runId }) > 0;

    /// <summary>
    /// Removes every row of run <paramref name="runId"/> from every table with a <c>run_id</c> column (found in
    /// <c>sqlite_master</c>, so tables added later are covered), in one transaction; a capture left without runs is
    /// removed, and the remaining ranks of its capture are aligned again. Kernel names stay in the shared dictionary.
    /// </summary>
    /// <returns>Rows removed per table; null when the run does not exist.</returns>
    public static IReadOnlyDictionary<string, long>? Remove(SqliteConnection main, long runId)
    {
        using var tx = main.BeginTransaction(deferred: false);
        if (main.ExecuteScalar<long>("SELECT COUNT(*) FROM runs WHERE run_id = $runId", new { runId }, tx) == 0) return null;
        var captureId = main.ExecuteScalar<long?>("SELECT capture_id FROM runs WHERE run_id = $runId", new { runId }, tx);
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in TablesWithRunId(main, tx))
            removed[table] = main.Execute($"DELETE FROM \"{table}\" WHERE run_id = $runId", new { runId }, tx);
        if (captureId is long c)
        {
            removed["captures"] = main.Execute(
                "DELETE FROM captures WHERE capture_id = $c AND NOT EXISTS (SELECT 1 FROM runs WHERE capture_id = $c)",
                new { c }, tx);
            CaptureTimeAligner.Align(main, tx, c);
        }
        tx.Commit();
        return removed;
    }

    /// <summary>Every table (not view) of the database that has a <c>run_id</c> column, <c>runs</c> last.</summary>
    public static IReadOnlyList<string> TablesWithRunId(SqliteConnection main, SqliteTransaction? tx = null) =>
        main.Query<string>("""
            SELECT m.name FROM sqlite_master AS m
            WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) AS c WHERE c.name = 'run_id')
            ORDER BY m.name = 'runs', m.name
            """, transaction: tx).ToList();
}
