using System.Data;

namespace LlmPipeline.Query.Output;

/// <summary>
/// A rectangular query result: column names and rows of cell values, each <see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/> or null (SQLite's INTEGER, REAL, TEXT and NULL). Renderers format it; they never compute.
/// </summary>
public sealed class ResultTable
{
    /// <summary>Creates a table.</summary>
    /// <param name="columns">Column names (snake_case, units in the names).</param>
    /// <param name="rows">Rows; each has one value per column.</param>
    public ResultTable(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    /// <summary>Column names in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows in order; cell values are long, double, string or null.</summary>
    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>Index of a column by name.</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i], column, StringComparison.Ordinal)) return i;
        throw new KeyNotFoundException($"column '{column}' is not in the result ({string.Join(", ", Columns)})");
    }

    /// <summary>The same table without column <paramref name="column"/> (e.g. a key column used only to pivot).</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public ResultTable WithoutColumn(string column)
    {
        var at = IndexOf(column);
        return new ResultTable(Columns.Where((_, i) => i != at).ToList(), Rows.Select(r => r.Where((_, i) => i != at).ToArray()).ToList());
    }

    /// <summary>Reads every row of the reader's current result set.</summary>
    public static ResultTable Read(IDataReader reader)
    {
        var columns = new string[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++) columns[i] = reader.GetName(i);
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
                row[i] = Normalize(reader.GetValue(i));
            rows.Add(row);
        }
        return new ResultTable(columns, rows);
    }

    /// <summary>A table with only the named columns, in the given order.</summary>
    public ResultTable Select(params string[] columns)
    {
        var idx = columns.Select(IndexOf).ToArray();
        return new ResultTable(columns, Rows.Select(r => idx.Select(i => r[i]).ToArray()).ToList());
    }

    private static object? Normalize(object value) => value switch
    {
        DBNull => null,
        long or double or string => value,
        int i => (long)i,
        float f => (double)f,
        byte[] b => Convert.ToHexString(b),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
