using LlmPipeline.Analysis.Names;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// Writes <c>kernel_names.simplified_name</c> of every stored name again with this build's
/// <see cref="NameSimplifier"/> (Itanium names demangled, unique in the database): the schema 9 upgrade of files whose
/// simplified names an older build wrote (mangled, and possibly shared by two names).
/// </summary>
internal static class SimplifiedNames
{
    /// <summary>Rewrites every simplified name, in name_id order (the order the names were first stored, so the first
    /// of two names that simplify alike keeps the plain form and the later gets <c>#2</c>), in the caller's transaction.</summary>
    public static void RewriteAll(SqliteConnection connection)
    {
        var names = new List<(long Id, string Name)>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT name_id, name FROM kernel_names ORDER BY name_id";
            using var reader = read.ExecuteReader();
            while (reader.Read()) names.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE kernel_names SET simplified_name = $simple WHERE name_id = $id";
        var simple = update.Parameters.Add("$simple", SqliteType.Text);
        var id = update.Parameters.Add("$id", SqliteType.Integer);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (nameId, name) in names)
        {
            (simple.Value, id.Value) = (NameSimplifier.Claim(name, taken), nameId);
            update.ExecuteNonQuery();
        }
    }
}
