using System.Globalization;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Commands.Schema;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Query.Export;

/// <summary>
/// Writes every table and public view of a database to a folder, Hive-style partitioned by run:
/// <c>DIR/&lt;relation&gt;/run_id=N/part-0.&lt;ext&gt;</c> for relations with a <c>run_id</c> column (the column itself
/// lives in the folder name, as Spark, Trino and DuckDB expect), <c>DIR/&lt;relation&gt;/part-0.&lt;ext&gt;</c> for the
/// others (<c>kernel_names</c>, <c>captures</c>). Column types are the ones <c>llmpipe schema</c> documents
/// (<see cref="SchemaCatalog"/>), the same for every partition. Each exported run's partition folder is replaced, so
/// exporting new runs into an existing folder adds partitions.
/// </summary>
public static class DatabaseExporter
{
    /// <summary>The partition column.</summary>
    public const string PartitionColumn = "run_id";

    /// <summary>Exports <paramref name="runIds"/> (every run when empty).</summary>
    /// <param name="connection">An open LlmPipeline database.</param>
    /// <param name="writer">The file format.</param>
    /// <param name="outDir">Output folder (created when absent).</param>
    /// <param name="runIds">Runs to export; empty for all.</param>
    /// <exception cref="QueryException">A value does not have its documented type (names relation, column and run).</exception>
    public static ExportSummary Export(SqliteConnection connection, IPartitionWriter writer, string outDir, IReadOnlyList<long> runIds)
    {
        var runs = runIds.Count > 0 ? runIds.ToList() : AllRuns(connection);
        var files = new List<(string, long)>();
        foreach (var relation in SchemaCatalog.Load())
        {
            var columns = relation.Columns.Select(c => new ExportColumn(c.Name, c.Type)).ToList();
            var relDir = Path.Combine(outDir, relation.Name);
            if (columns.Any(c => c.Name == PartitionColumn))
            {
                var dataColumns = columns.Where(c => c.Name != PartitionColumn).ToList();
                foreach (var run in runs)
                {
                    var dir = Path.Combine(relDir, $"{PartitionColumn}={run.ToString(CultureInfo.InvariantCulture)}");
                    if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                    Directory.CreateDirectory(dir);
                    var file = Path.Combine(dir, "part-0." + writer.Extension);
                    var sql = $"SELECT {Select(dataColumns)} FROM \"{relation.Name}\" WHERE run_id = {run.ToString(CultureInfo.InvariantCulture)}";
                    var rows = writer.Write(file, dataColumns, Read(connection, sql, relation.Name, dataColumns, run));
                    files.Add((Path.GetRelativePath(outDir, file), rows));
                }
            }
            else
            {
                Directory.CreateDirectory(relDir);
                var file = Path.Combine(relDir, "part-0." + writer.Extension);
                var rows = writer.Write(file, columns, Read(connection, $"SELECT {Select(columns)} FROM \"{relation.Name}\"", relation.Name, columns, null));
                files.Add((Path.GetRelativePath(outDir, file), rows));
            }
        }
        return new ExportSummary(files);
    }

    private static string Select(IReadOnlyList<ExportColumn> columns) => string.Join(", ", columns.Select(c => $"\"{c.Name}\""));

    private static List<long> AllRuns(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT run_id FROM runs ORDER BY run_id";
        using var reader = cmd.ExecuteReader();
        var list = new List<long>();
        while (reader.Read()) list.Add(reader.GetInt64(0));
        return list;
    }

    private static IEnumerable<object?[]> Read(SqliteConnection connection, string sql, string relation, IReadOnlyList<ExportColumn> columns, long? run)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[columns.Count];
            for (var c = 0; c < columns.Count; c++)
                row[c] = reader.IsDBNull(c) ? null : Convert(reader.GetValue(c), columns[c], relation, run);
            yield return row;
        }
    }

    private static object Convert(object value, ExportColumn column, string relation, long? run) => (column.Type, value) switch
    {
        ("INTEGER", long l) => l,
        ("INTEGER", double d) when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
        ("REAL", double d) => d,
        ("REAL", long l) => (double)l,
        ("TEXT", string s) => s,
        ("TEXT", long l) => l.ToString(CultureInfo.InvariantCulture),
        ("TEXT", double d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new QueryException(
            $"{relation}.{column.Name}{(run is null ? "" : $" (run {run})")}: value '{value}' is not {column.Type} as documented by 'llmpipe schema'; " +
            "fix the view or its documentation (sql/views) and export again"),
    };
}
