using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Writing;

/// <summary>
/// Writes the <c>kernel_name_categories</c> rows of a run: the category of each of its kernel names. A run's category
/// rules (<c>category_rules</c>) read the kernel name alone (docs/profiles.md, 'Categories'), so a category per name
/// and run says the category of every kernel; re-categorizing a run rewrites these few thousand rows, not its kernels.
/// </summary>
public static class NameCategories
{
    /// <summary>Replaces run <paramref name="runId"/>'s rows with one per name.</summary>
    /// <param name="connection">The user's database.</param>
    /// <param name="tx">The open transaction.</param>
    /// <param name="runId">The run.</param>
    /// <param name="nameIds"><c>kernel_names.name_id</c> by run-local name id.</param>
    /// <param name="categories">The category key by run-local name id (same length as <paramref name="nameIds"/>).</param>
    /// <exception cref="SqliteException">The database cannot be written.</exception>
    public static void Write(SqliteConnection connection, SqliteTransaction? tx, long runId, IReadOnlyList<long> nameIds,
        IReadOnlyList<string> categories)
    {
        connection.Execute("DELETE FROM kernel_name_categories WHERE run_id = $runId", new { runId }, tx);
        connection.Execute("INSERT OR REPLACE INTO kernel_name_categories (run_id, name_id, category) VALUES ($runId, $NameId, $Category)",
            nameIds.Select((id, i) => new { runId, NameId = id, Category = categories[i] }), tx);
    }

    /// <summary>The stored category of each kernel name of run <paramref name="runId"/>, by <c>kernel_names.name_id</c>.</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public static Dictionary<long, string> Read(SqliteConnection connection, SqliteTransaction? tx, long runId) =>
        connection.Query<(long NameId, string Category)>("SELECT name_id, category FROM kernel_name_categories WHERE run_id = $runId",
            new { runId }, tx).ToDictionary(r => r.NameId, r => r.Category);
}
