using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LlmPipeline.Query.Commands.Sql;

/// <summary>
/// Finds the first statement of a SQL text that would write to the database, as SQLite itself judges it
/// (<c>sqlite3_stmt_readonly</c>: INSERT, UPDATE, DELETE, CREATE, DROP, and PRAGMAs that set something, such as
/// <c>PRAGMA journal_mode=DELETE</c> or <c>PRAGMA user_version = 3</c>; a PRAGMA that only reads its value is read-only
/// here), before anything runs: on the read-only
/// connection of <c>llmpipe sql</c> such a statement fails with SQLite's own words (a PRAGMA with "disk I/O error"),
/// so the command says instead that <c>--write</c> allows it.
/// </summary>
public static class WritingStatements
{
    /// <summary>
    /// A PRAGMA that only reads its value (<c>PRAGMA journal_mode</c>: no <c>=</c> and no argument), which SQLite calls
    /// not read-only for the pragmas that can also set a value, but which reads on a read-only connection.
    /// </summary>
    private static bool IsPragmaQuery(string statement) =>
        statement.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase) && statement.IndexOfAny(['=', '(']) < 0;

    /// <summary>
    /// The text of the first statement of <paramref name="sql"/> that is not read-only, trimmed; null when every
    /// statement is read-only, or when one does not compile (running it then gives SQLite's error).
    /// </summary>
    /// <param name="connection">An open connection (read-only is enough: statements are only compiled).</param>
    /// <param name="sql">One or more statements.</param>
    public static string? First(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(sql);
        var rest = Encoding.UTF8.GetBytes(sql);
        while (rest.Length > 0)
        {
            var rc = raw.sqlite3_prepare_v2(connection.Handle, rest, out var statement, out var tail);
            using (statement)
            {
                if (rc != raw.SQLITE_OK) return null;
                var used = rest.Length - tail.Length;
                var text = Encoding.UTF8.GetString(rest, 0, used).Trim();
                if (statement is not null && !statement.IsInvalid && raw.sqlite3_stmt_readonly(statement) == 0 && !IsPragmaQuery(text))
                    return text;
                rest = tail.ToArray();
            }
        }
        return null;
    }
}
