namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// Counts warnings per kind (one <c>ingest_warnings</c> row each), keeping the first byte offset and the first
/// detail sentence.
/// </summary>
public sealed class WarningLog
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>One warning kind's tally.</summary>
    public sealed class Entry
    {
        /// <summary>Occurrences.</summary>
        public long Count { get; set; }
        /// <summary>Byte offset of the first occurrence in the decompressed stream, null when not about a byte.</summary>
        public long? FirstByteOffset { get; init; }
        /// <summary>The first occurrence, in words.</summary>
        public required string Detail { get; init; }
    }

    /// <summary>Every kind seen, in first-seen order.</summary>
    public IEnumerable<KeyValuePair<string, Entry>> Entries => _entries;

    /// <summary>Number of distinct kinds.</summary>
    public int KindCount => _entries.Count;

    /// <summary>Total occurrences.</summary>
    public long TotalCount => _entries.Values.Sum(e => e.Count);

    /// <summary>Counts one occurrence of <paramref name="kind"/>.</summary>
    public void Add(string kind, long? byteOffset, string detail, long count = 1)
    {
        if (_entries.TryGetValue(kind, out var entry)) entry.Count += count;
        else _entries[kind] = new Entry { Count = count, FirstByteOffset = byteOffset, Detail = detail };
    }

    /// <summary>One line per kind: <c>kind ×count (first at byte N): detail</c>.</summary>
    public IReadOnlyList<string> Lines() =>
        _entries.Select(e => $"{e.Key} x{e.Value.Count}" + (e.Value.FirstByteOffset is long o ? $" (first at byte {o})" : "") + $": {e.Value.Detail}").ToList();
}
