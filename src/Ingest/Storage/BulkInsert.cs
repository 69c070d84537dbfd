using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// A prepared <c>INSERT</c> statement reused for every row of one table: set the values, then <see cref="Run"/>.
/// Values are positional (<c>$p0</c>, <c>$p1</c>, ...) in the column order given.
/// </summary>
public sealed class BulkInsert : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    /// <summary>Prepares <c>INSERT [OR IGNORE] INTO table(columns) VALUES(...)</c> on <paramref name="connection"/>.</summary>
    public BulkInsert(SqliteConnection connection, SqliteTransaction? transaction, string table, IReadOnlyList<string> columns, string verb = "INSERT")
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = $"{verb} INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        _parameters = new SqliteParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            _parameters[i] = _command.CreateParameter();
            _parameters[i].ParameterName = "$p" + i;
            _parameters[i].Value = DBNull.Value;
            _command.Parameters.Add(_parameters[i]);
        }
        _command.Prepare();
    }

    /// <summary>Sets column <paramref name="index"/> to <paramref name="value"/> (null → SQL NULL).</summary>
    public void Set(int index, object? value) => _parameters[index].Value = value ?? DBNull.Value;

    /// <summary>Sets column <paramref name="index"/> to an integer, or NULL when <paramref name="value"/> is null.</summary>
    public void Set(int index, long? value) => _parameters[index].Value = value.HasValue ? value.Value : DBNull.Value;

    /// <summary>Executes the insert with the values set.</summary>
    public void Run() => _command.ExecuteNonQuery();

    /// <inheritdoc />
    public void Dispose() => _command.Dispose();
}
