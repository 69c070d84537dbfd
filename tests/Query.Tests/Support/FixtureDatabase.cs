using System.Collections.Concurrent;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Query.Tests.Support;

/// <summary>
/// A temporary database created by <see cref="LlmDatabase.OpenForWrite"/> (schema and every view) holding the hand-made
/// rows of Fixtures/two_layer_run.sql (its header lists every kernel and the hand-computed totals): a copy of one
/// database built per test process (<see cref="CachedDatabase{T}"/>), so each test changes only its own.
/// </summary>
public sealed class FixtureDatabase : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Each fixture's database, built once per test process; every <see cref="FixtureDatabase"/> is a copy.</summary>
    private static readonly ConcurrentDictionary<string, CachedDatabase<string>> Built = new(StringComparer.Ordinal);

    public FixtureDatabase(string fixture = "two_layer_run.sql")
    {
        Path = _dir.File("fixture.db");
        Built.GetOrAdd(fixture, f => new CachedDatabase<string>(System.IO.Path.GetFileNameWithoutExtension(f), path =>
        {
            using var connection = LlmDatabase.OpenForWrite(path);
            Execute(connection, System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", f)));
            return f;
        })).CopyTo(Path);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>A file path in the same temporary folder.</summary>
    public string File(string name) => _dir.File(name);

    /// <summary>Runs extra SQL against the database (for test-specific rows).</summary>
    public void Execute(string sql)
    {
        using var connection = LlmDatabase.OpenForWrite(Path);
        Execute(connection, sql);
    }

    /// <summary>Runs llmpipe with <c>--db</c> set to this database.</summary>
    public CliResult Run(params string[] args) => Llmpipe.Run([.. args, "--db", Path]);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _dir.Dispose();
}
