namespace LlmPipeline.Query.Output;

/// <summary>
/// Widens a report with columns taken from a long (key, name, value) result: one new column per distinct name, in
/// the order given, a missing (key, name) pair filled with a default. Pure reshaping: no value is computed.
/// </summary>
public static class Pivot
{
    /// <summary>Inserts pivot columns into <paramref name="table"/> before <paramref name="beforeColumn"/> (or at the end).</summary>
    /// <param name="table">The wide table, one row per key.</param>
    /// <param name="keyColumn">Column of <paramref name="table"/> that identifies a row (e.g. <c>layer_idx</c>).</param>
    /// <param name="cells">Long rows: key value, pivot name, value.</param>
    /// <param name="names">Pivot names in column order.</param>
    /// <param name="columnName">Maps a pivot name to its column name (e.g. <c>attention</c> → <c>attention_ms</c>).</param>
    /// <param name="missing">Value for a (key, name) pair absent from <paramref name="cells"/>.</param>
    /// <param name="beforeColumn">Insert before this column; null = append.</param>
    public static ResultTable Widen(ResultTable table, string keyColumn, IEnumerable<(object? Key, string Name, object? Value)> cells,
        IReadOnlyList<string> names, Func<string, string> columnName, object? missing, string? beforeColumn = null)
    {
        var keyIdx = table.IndexOf(keyColumn);
        var at = beforeColumn is null ? table.Columns.Count : table.IndexOf(beforeColumn);
        var lookup = new Dictionary<(string, string), object?>();
        foreach (var (key, name, value) in cells) lookup[(CellFormatter.Exact(key), name)] = value;
        var columns = table.Columns.Take(at).Concat(names.Select(columnName)).Concat(table.Columns.Skip(at)).ToList();
        var rows = table.Rows.Select(r =>
        {
            var key = CellFormatter.Exact(r[keyIdx]);
            var added = names.Select(n => lookup.TryGetValue((key, n), out var v) ? v : missing);
            return r.Take(at).Concat(added).Concat(r.Skip(at)).ToArray();
        }).ToList();
        return new ResultTable(columns, rows);
    }
}
