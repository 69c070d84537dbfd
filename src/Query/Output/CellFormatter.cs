using System.Globalization;

namespace LlmPipeline.Query.Output;

/// <summary>
/// Turns cell values into text. Machine formats (CSV, JSON) keep 15 significant digits: every REAL is derived from
/// integer nanoseconds, so this drops only binary floating-point noise (1.4425530000000002 prints as 1.442553); human
/// formats (table, Markdown) round REAL values by the unit in the column name: <c>_s</c> to the microsecond (6
/// decimals), <c>_ms</c> and <c>_us</c> to 3 decimals, <c>_pct</c> to 1 decimal, other REAL values to 4 significant
/// decimals.
/// </summary>
public static class CellFormatter
{
    /// <summary>Invariant text (REAL to 15 significant digits); null becomes the empty string.</summary>
    public static string Exact(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G15", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Text for people: REAL values rounded by the column's unit suffix.</summary>
    public static string Human(string column, object? value) => value switch
    {
        double d => d.ToString(DecimalsFor(column), CultureInfo.InvariantCulture),
        _ => Exact(value),
    };

    /// <summary>Whether a value is a number (right-aligned in text tables).</summary>
    public static bool IsNumber(object? value) => value is long or double;

    private static string DecimalsFor(string column)
    {
        if (column.EndsWith("_s", StringComparison.Ordinal)) return "F6";
        if (column.EndsWith("_ms", StringComparison.Ordinal) || column.EndsWith("_us", StringComparison.Ordinal)) return "F3";
        if (column.EndsWith("_pct", StringComparison.Ordinal)) return "F1";
        return "0.####";
    }
}
