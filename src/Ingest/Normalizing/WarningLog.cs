using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// Counts warnings per kind (one <c>ingest_warnings</c> row each), keeping the first byte offset and the first
/// detail sentence. Kinds come from <see cref="WarningCatalog"/>, so every code it stores is documented there.
/// </summary>
public sealed class WarningLog
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>One warning kind's tally.</summary>
    public sealed class Entry
    {
        /// <summary>The kind.</summary>
        public required WarningKind Kind { get; init; }
        /// <summary>Occurrences.</summary>
        public long Count { get; set; }
        /// <summary>Byte offset of the first occurrence in the decompressed stream, null when not about a byte.</summary>
        public long? FirstByteOffset { get; init; }
        /// <summary>The first occurrence, in words.</summary>
        public required string Detail { get; init; }
    }

    /// <summary>Every kind seen, in first-seen order, keyed by its code (<see cref="WarningKind.Code"/>).</summary>
    public IEnumerable<KeyValuePair<string, Entry>> Entries => _entries;

    /// <summary>Number of distinct kinds.</summary>
    public int KindCount => _entries.Count;

    /// <summary>Total occurrences.</summary>
    public long TotalCount => _entries.Values.Sum(e => e.Count);

    /// <summary>Counts <paramref name="count"/> occurrences of <paramref name="kind"/>; the first one's offset and
    /// detail are kept.</summary>
    public void Add(WarningKind kind, long? byteOffset, string detail, long count = 1)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (_entries.TryGetValue(kind.Code, out var entry)) entry.Count += count;
        else _entries[kind.Code] = new Entry { Kind = kind, Count = count, FirstByteOffset = byteOffset, Detail = detail };
    }

    /// <summary>Whether <paramref name="kind"/> was counted.</summary>
    public bool Contains(WarningKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return _entries.ContainsKey(kind.Code);
    }

    /// <summary>One line per kind: <c>kind ×count (first at byte N): detail</c>.</summary>
    public IReadOnlyList<string> Lines() =>
        _entries.Select(e => $"{e.Key} x{e.Value.Count}" + (e.Value.FirstByteOffset is long o ? $" (first at byte {o})" : "") + $": {e.Value.Detail}").ToList();
}
