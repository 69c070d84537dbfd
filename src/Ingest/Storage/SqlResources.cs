using System.Reflection;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// The <c>.sql</c> files of the repository's <c>sql/</c> folder, embedded in this assembly: <c>schema.sql</c>, one
/// file per view under <c>sql/views/</c> (file name = view name) and the triggers that make a view writable under
/// <c>sql/triggers/</c> (file name = the view's name).
/// </summary>
public static class SqlResources
{
    private static readonly Assembly Assembly = typeof(SqlResources).Assembly;

    /// <summary>The text of <c>sql/schema.sql</c>.</summary>
    public static string Schema => Read("sql/schema.sql");

    /// <summary>
    /// Every view as (name, CREATE VIEW text), ordered so that helper views (names starting with <c>_</c>) come first,
    /// then by name. A view may only depend on helper views and tables.
    /// </summary>
    public static IReadOnlyList<(string Name, string Sql)> Views { get; } = Load("sql/views/");

    /// <summary>The trigger files as (view name, CREATE TRIGGER statements), by name; installed after every view.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Triggers { get; } = Load("sql/triggers/");

    /// <summary>Reads one embedded resource by its logical name (e.g. <c>sql/schema.sql</c>).</summary>
    /// <exception cref="InvalidOperationException">The resource is not embedded.</exception>
    public static string Read(string logicalName)
    {
        using var stream = Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"Embedded SQL resource '{logicalName}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IReadOnlyList<(string, string)> Load(string folder) =>
        Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Name: Path.GetFileNameWithoutExtension(n), Sql: Read(n)))
            .OrderBy(v => v.Name.StartsWith('_') ? 0 : 1)
            .ThenBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => (v.Name, v.Sql))
            .ToList();
}
