namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// Pairs duration events written as <c>B</c>/<c>E</c> phases (merged traces, other tools, crashed runs;
/// docs/messy-traces.md, B18): per (pid, tid), sorted by <c>ts</c> (ties in file order), an <c>E</c> closes the innermost
/// open <c>B</c>. A <c>B</c> never closed is unfinished (its duration stays unknown); an <c>E</c> with nothing open is
/// stray and dropped. Never throws. Kineto itself writes <c>X</c> events, so the list stays small.
/// </summary>
public sealed class BeginEndPairer
{
    private readonly List<Item> _items = [];

    /// <summary>One B or E event as collected.</summary>
    /// <param name="Thread">The (pid, tid) key as text.</param>
    /// <param name="TsNs">Timestamp, ns.</param>
    /// <param name="IsBegin">True for <c>B</c>.</param>
    /// <param name="ByteOffset">Byte offset of the event.</param>
    /// <param name="Payload">What to keep for a paired begin (null when the begin is only counted).</param>
    public sealed record Item(string Thread, long TsNs, bool IsBegin, long ByteOffset, object? Payload);

    /// <summary>A begin with its end, or with a null duration when unfinished.</summary>
    /// <param name="Begin">The begin event.</param>
    /// <param name="DurNs">End minus begin, ns; null when unfinished.</param>
    public sealed record Span(Item Begin, long? DurNs);

    /// <summary>Number of collected events.</summary>
    public int Count => _items.Count;

    /// <summary>Collects one event.</summary>
    public void Add(Item item) => _items.Add(item);

    /// <summary>Pairs every collected event.</summary>
    /// <returns>Every begin (paired or unfinished) in collection order, and the stray ends.</returns>
    public (List<Span> Spans, List<Item> StrayEnds) Pair()
    {
        var durations = new Dictionary<Item, long?>(ReferenceEqualityComparer.Instance);
        var stray = new List<Item>();
        foreach (var thread in _items.Select((item, seq) => (item, seq)).GroupBy(x => x.item.Thread, StringComparer.Ordinal))
        {
            var open = new Stack<Item>();
            foreach (var (item, _) in thread.OrderBy(x => x.item.TsNs).ThenBy(x => x.seq))
            {
                if (item.IsBegin)
                {
                    open.Push(item);
                    durations[item] = null;
                }
                else if (open.Count > 0)
                {
                    var begin = open.Pop();
                    durations[begin] = item.TsNs - begin.TsNs;
                }
                else
                {
                    stray.Add(item);
                }
            }
        }
        var spans = _items.Where(i => i.IsBegin).Select(i => new Span(i, durations[i])).ToList();
        return (spans, stray);
    }
}
