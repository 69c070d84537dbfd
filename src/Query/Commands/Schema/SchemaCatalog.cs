using System.Text.RegularExpressions;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Query.Commands.Schema;

/// <summary>
/// Every table and public view (names not starting with <c>_</c>) with each column's type, unit and meaning. The
/// columns and declared types come from SQLite itself (an in-memory database built from the embedded
/// <c>sql/schema.sql</c> and <c>sql/views/*.sql</c>); the meanings come from their comments:
/// <list type="bullet">
/// <item>tables: the <c>--</c> comment lines right above <c>CREATE TABLE</c>, and the <c>-- text</c> at the end of a column's line;</item>
/// <item>views: the header comment; its column list has lines <c>--   name[, name...]  meaning</c> (two or more spaces
/// between names and meaning), continued by lines indented deeper.</item>
/// </list>
/// A view column's type is its declared type when it is a plain table column, else the unit convention of
/// docs/reports.md ('Column names and units'): <c>*_ns</c>, <c>*_count</c>, <c>*_idx</c>, <c>*_rank</c> and <c>is_*</c> INTEGER; <c>*_us</c>,
/// <c>*_ms</c>, <c>*_s</c>, <c>*_pct</c>, <c>share</c>, <c>*_share</c>, <c>*_ratio</c>, <c>*_coverage</c> REAL; anything else TEXT (a test checks these against real rows).
/// </summary>
public static partial class SchemaCatalog
{
    /// <summary>Tables (file order of schema.sql), then public views (by name).</summary>
    public static IReadOnlyList<RelationDoc> Load()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, SqlResources.Schema);
        foreach (var (_, sql) in SqlResources.Views) Execute(connection, sql);

        var result = new List<RelationDoc>();
        foreach (var (table, description, comments) in ParseTables(SqlResources.Schema))
        {
            var columns = ColumnsOf(connection, table)
                .Select(c => new ColumnDoc(c.Name, Normalize(c.Declared, c.Name), UnitOf(c.Name), comments.GetValueOrDefault(c.Name, "")))
                .ToList();
            result.Add(new RelationDoc(table, "table", description, columns));
        }
        foreach (var (name, sql) in SqlResources.Views.Where(v => !v.Name.StartsWith('_')))
        {
            var (description, comments) = ParseViewHeader(sql);
            var columns = ColumnsOf(connection, name)
                .Select(c => new ColumnDoc(c.Name, Normalize(c.Declared, c.Name), UnitOf(c.Name), comments.GetValueOrDefault(c.Name, "")))
                .ToList();
            result.Add(new RelationDoc(name, "view", description, columns));
        }
        return FillShared(result);
    }

    /// <summary>
    /// A column without its own comment takes the meaning of the first documented column of the same name (tables
    /// first, in schema order): <c>run_id</c>, <c>device</c>, <c>ts_ns</c> ... are documented once.
    /// </summary>
    private static List<RelationDoc> FillShared(List<RelationDoc> relations)
    {
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in relations.SelectMany(r => r.Columns).Where(c => c.Meaning.Length > 0))
            shared.TryAdd(c.Name, c.Meaning);
        return relations.Select(r => r with
        {
            Columns = r.Columns.Select(c => c.Meaning.Length > 0 ? c : c with { Meaning = shared.GetValueOrDefault(c.Name, "") }).ToList(),
        }).ToList();
    }

    /// <summary>The indexes of schema.sql as (name, table, columns) for the documentation.</summary>
    public static IReadOnlyList<(string Name, string Table, string Columns)> Indexes() =>
        IndexRegex().Matches(SqlResources.Schema)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value.Trim()))
            .ToList();

    /// <summary>The unit a column name's suffix states (docs/reports.md, 'Column names and units'), empty when none.</summary>
    public static string UnitOf(string column) => column switch
    {
        _ when column.EndsWith("_ns", StringComparison.Ordinal) => "ns",
        _ when column.EndsWith("_us", StringComparison.Ordinal) => "µs",
        _ when column.EndsWith("_ms", StringComparison.Ordinal) => "ms",
        _ when column.EndsWith("_s", StringComparison.Ordinal) => "s",
        _ when column.EndsWith("_pct", StringComparison.Ordinal) => "%",
        _ when column.EndsWith("_bytes", StringComparison.Ordinal) || column == "bytes" => "bytes",
        _ => "",
    };

    /// <summary>Parses schema.sql into (table, description, column → comment).</summary>
    internal static IEnumerable<(string Table, string Description, Dictionary<string, string> Comments)> ParseTables(string schemaSql)
    {
        var lines = schemaSql.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        for (var i = 0; i < lines.Length; i++)
        {
            var m = CreateTableRegex().Match(lines[i]);
            if (!m.Success) continue;
            var above = new List<string>();
            for (var j = i - 1; j >= 0 && lines[j].StartsWith("--", StringComparison.Ordinal); j--)
                above.Insert(0, lines[j][2..].Trim());
            var comments = new Dictionary<string, string>(StringComparer.Ordinal);
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith(')'); i++)
            {
                var col = ColumnLineRegex().Match(lines[i]);
                if (!col.Success) continue;
                var dash = lines[i].IndexOf("--", StringComparison.Ordinal);
                comments[col.Groups[1].Value] = dash >= 0 ? lines[i][(dash + 2)..].Trim() : "";
            }
            yield return (m.Groups[1].Value, string.Join(" ", above), comments);
        }
    }

    /// <summary>Parses a view file's header into (description, column → meaning).</summary>
    internal static (string Description, Dictionary<string, string> Comments) ParseViewHeader(string viewSql)
    {
        var header = viewSql.Split('\n').Select(l => l.TrimEnd('\r'))
            .TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal))
            .Select(l => l[2..])
            .ToList();
        var description = new List<string>();
        var comments = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string>? current = null;
        var inColumns = false;
        foreach (var line in header)
        {
            var indent = line.Length - line.TrimStart().Length;
            if (!inColumns && indent < 3)
            {
                description.Add(line.Trim());
                continue;
            }
            inColumns = true;
            if (indent > 3 && current is not null)
            {
                foreach (var name in current) comments[name] = (comments[name] + " " + line.Trim()).Trim();
                continue;
            }
            var entry = EntryRegex().Match(line.Trim());
            current = entry.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            foreach (var name in current) comments[name] = entry.Groups[2].Value.Trim();
        }
        var text = string.Join(" ", description).Trim();
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && !text[..colon].Contains(' ')) text = text[(colon + 2)..];
        return (text, comments);
    }

    private static string Normalize(string declared, string name)
    {
        var d = declared.ToUpperInvariant();
        if (d.Contains("INT", StringComparison.Ordinal)) return "INTEGER";
        if (d.Contains("REAL", StringComparison.Ordinal) || d.Contains("DOUB", StringComparison.Ordinal) || d.Contains("FLOA", StringComparison.Ordinal)) return "REAL";
        if (d.Contains("TEXT", StringComparison.Ordinal) || d.Contains("CHAR", StringComparison.Ordinal)) return "TEXT";
        if (name.EndsWith("_ns", StringComparison.Ordinal) || name.EndsWith("_count", StringComparison.Ordinal)
            || name.EndsWith("_idx", StringComparison.Ordinal) || name.EndsWith("_rank", StringComparison.Ordinal)
            || name.StartsWith("is_", StringComparison.Ordinal))
            return "INTEGER";
        if (name == "share" || name.EndsWith("_share", StringComparison.Ordinal) || name.EndsWith("_ratio", StringComparison.Ordinal)
            || name.EndsWith("_coverage", StringComparison.Ordinal))
            return "REAL";
        return UnitOf(name) is "µs" or "ms" or "s" or "%" ? "REAL" : "TEXT";
    }

    private static List<(string Name, string Declared)> ColumnsOf(SqliteConnection connection, string relation)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"PRAGMA table_info(\"{relation}\")";
        using var reader = cmd.ExecuteReader();
        var list = new List<(string, string)>();
        while (reader.Read()) list.Add((reader.GetString(1), reader.IsDBNull(2) ? "" : reader.GetString(2)));
        return list;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [GeneratedRegex(@"^CREATE TABLE IF NOT EXISTS (\w+)")]
    private static partial Regex CreateTableRegex();

    [GeneratedRegex(@"^\s+(\w+)\s+(INTEGER|TEXT|REAL|BLOB)\b")]
    private static partial Regex ColumnLineRegex();

    [GeneratedRegex(@"^(.*?)(?:\s{2,}(.*))?$")]
    private static partial Regex EntryRegex();

    [GeneratedRegex(@"CREATE INDEX IF NOT EXISTS (\w+) ON (\w+)\(([^)]*)\)")]
    private static partial Regex IndexRegex();
}
