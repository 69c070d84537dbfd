using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// In-place upgrades of databases written by older LlmPipeline versions, one step per schema version.
/// <c>schema.sql</c> then (re)creates whatever is missing (it uses <c>IF NOT EXISTS</c> throughout).
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>Applies every step from <paramref name="fromVersion"/> to <see cref="LlmDatabase.SchemaVersion"/>.</summary>
    public static void Upgrade(SqliteConnection connection, int fromVersion)
    {
        // Version 0 is a new, empty file: schema.sql creates everything. Later versions add their
        // ALTER TABLE steps here, e.g. if (fromVersion < 2) { ... }.
        _ = connection;
        _ = fromVersion;
    }
}
