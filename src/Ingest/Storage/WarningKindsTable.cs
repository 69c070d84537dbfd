using LlmPipeline.Analysis.Warnings;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// The <c>warning_kinds</c> table: the warning catalogue (<see cref="WarningCatalog.All"/>) as rows, so that SQL can
/// tell notes (severity <c>info</c>) from warnings (<c>run_summary.warning_count</c> / <c>note_count</c>). Schema 9.
/// </summary>
internal static class WarningKindsTable
{
    /// <summary>True when the table holds exactly this build's catalogue (every column of every kind); false when it
    /// differs or is missing.</summary>
    public static bool IsCurrent(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'warning_kinds'";
        if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0) return false;
        cmd.CommandText = "SELECT code, severity, stage, meaning, what_to_do, source FROM warning_kinds ORDER BY code";
        var stored = new List<string[]>();
        using (var reader = cmd.ExecuteReader())
            while (reader.Read())
                stored.Add([reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)]);
        var expected = WarningCatalog.All.OrderBy(k => k.Code, StringComparer.Ordinal).Select(Row).ToList();
        return stored.Count == expected.Count && stored.Zip(expected).All(p => p.First.SequenceEqual(p.Second, StringComparer.Ordinal));
    }

    /// <summary>Replaces the table's rows with this build's catalogue, in the caller's transaction.</summary>
    public static void Write(SqliteConnection connection)
    {
        LlmDatabase.Execute(connection, "DELETE FROM warning_kinds;");
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO warning_kinds (code, severity, stage, meaning, what_to_do, source) VALUES ($c, $sev, $st, $m, $w, $src)";
        var names = (string[])["$c", "$sev", "$st", "$m", "$w", "$src"];
        var parameters = names.Select(n => cmd.Parameters.Add(n, SqliteType.Text)).ToArray();
        foreach (var kind in WarningCatalog.All)
        {
            var row = Row(kind);
            for (var i = 0; i < row.Length; i++) parameters[i].Value = row[i];
            cmd.ExecuteNonQuery();
        }
    }

    private static string[] Row(WarningKind k) =>
        [k.Code, WarningCatalog.Label(k.Severity), WarningCatalog.Label(k.Stage), k.Meaning, k.WhatToDo, k.Source];
}
