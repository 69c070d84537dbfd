using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Query.Tests.Robustness;

/// <summary>Every table's row count and a SHA-256 over all its rows (ordered by every column) plus integrity_check.</summary>
internal static class DatabaseSnapshot
{
    public static Dictionary<string, string> Take(string db)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        c.Open();
        var tables = Strings(c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in tables)
        {
            var columns = Strings(c, $"SELECT name FROM pragma_table_info('{t}')").Count;
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT * FROM \"{t}\" ORDER BY {string.Join(", ", Enumerable.Range(1, columns))}";
            using var r = cmd.ExecuteReader();
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long rows = 0;
            while (r.Read())
            {
                rows++;
                var sb = new StringBuilder();
                for (var i = 0; i < r.FieldCount; i++)
                    sb.Append(r.IsDBNull(i) ? "\u0001" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\u0002');
                sha.AppendData(Encoding.UTF8.GetBytes(sb.Append('\n').ToString()));
            }
            result[t] = $"{rows} rows, sha256 {Convert.ToHexString(sha.GetHashAndReset())}";
        }
        return result;
    }

    public static string IntegrityCheck(string db)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        c.Open();
        return string.Join("; ", Strings(c, "PRAGMA integrity_check"));
    }

    public static long Scalar(string db, string sql)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<string> TablesWithRunId(string db)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        c.Open();
        return Strings(c, "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'run_id' ORDER BY m.name");
    }

    private static List<string> Strings(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }
}
