namespace LlmPipeline.Query.Export;

/// <summary>Writes the rows of one partition (one table or view, one run) to one file.</summary>
public interface IPartitionWriter
{
    /// <summary>File extension without the dot (<c>parquet</c>, <c>csv</c>, <c>jsonl</c>).</summary>
    string Extension { get; }

    /// <summary>
    /// Writes <paramref name="rows"/> to <paramref name="path"/>. Each row holds one value per column: <see cref="long"/>
    /// for INTEGER, <see cref="double"/> for REAL, <see cref="string"/> for TEXT, or null. Returns the row count.
    /// </summary>
    long Write(string path, IReadOnlyList<ExportColumn> columns, IEnumerable<object?[]> rows);
}
