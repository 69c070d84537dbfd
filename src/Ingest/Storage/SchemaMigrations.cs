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
        // Version 0 is a new, empty file: schema.sql creates everything.
        if (fromVersion == 0) return;
        if (fromVersion < 2)
        {
            // 2: multi-rank captures, serving phase from file names, rank time alignment, outlier reasons, Perfetto ns ranges.
            LlmDatabase.Execute(connection, """
                ALTER TABLE runs ADD COLUMN capture_id INTEGER;
                ALTER TABLE runs ADD COLUMN phase TEXT;
                ALTER TABLE runs ADD COLUMN time_offset_ns INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN time_alignment TEXT;
                ALTER TABLE passes ADD COLUMN outlier_reason TEXT;
                ALTER TABLE passes ADD COLUMN perfetto_start_ns INTEGER;
                ALTER TABLE passes ADD COLUMN perfetto_end_ns INTEGER;
                ALTER TABLE layers ADD COLUMN perfetto_start_ns INTEGER;
                ALTER TABLE layers ADD COLUMN perfetto_end_ns INTEGER;
                """);
        }
        if (fromVersion < 3)
        {
            // 3: no kernels_by_category (its random-order inserts slowed every ingest; a run's primary-key range serves category filters).
            LlmDatabase.Execute(connection, "DROP INDEX IF EXISTS kernels_by_category;");
        }
    }
}
