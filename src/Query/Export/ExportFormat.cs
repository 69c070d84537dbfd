namespace LlmPipeline.Query.Export;

/// <summary>File formats of <c>llmpipe export</c>.</summary>
public enum ExportFormat
{
    /// <summary>Apache Parquet (Parquet.Net): INTEGER → INT64, REAL → DOUBLE, TEXT → UTF-8 string, all nullable.</summary>
    Parquet,

    /// <summary>RFC 4180 CSV with a header row; NULL is an empty field, reals in round-trip form.</summary>
    Csv,

    /// <summary>JSON Lines: one JSON object per row, integers and reals as JSON numbers, NULL as null.</summary>
    Jsonl,
}
