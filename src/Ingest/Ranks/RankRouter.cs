using System.Text;
using System.Text.Json;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Reading;

namespace LlmPipeline.Ingest.Ranks;

/// <summary>
/// Splits a merged multi-rank trace file into one <see cref="RankPart"/> per rank as it streams by
/// (docs/messy-traces.md, B24; SGLang's merger writes every rank's events into one <c>traceEvents</c> array, names prefixed with a rank label
/// such as <c>[TP01-DP00-PP00-EP00] </c>, sgl-project/sglang#11413). Each rank gets its own normalizer and staging
/// database, so its kernels, launches, annotations and CPU operators are joined on correlation / External id within
/// the rank only, and exact duplicates are dropped per rank.
/// </summary>
/// <remarks>
/// Routing: an event whose name carries a rank label goes to that label's part (the normalizer strips the label and
/// counts it). An event without one goes to the unlabelled part, created first; a file without any label therefore has
/// exactly one part and is ingested as before. Metadata <c>M</c> events without a label (<c>process_labels</c>,
/// <c>process_name</c>...), the top-level metadata (<c>deviceProperties</c>, <c>distributedInfo</c>...) and the
/// reader's warnings describe the whole file: they go to every part, including parts created later (kept and replayed;
/// at most <see cref="MaxKeptMetadataEvents"/> <c>M</c> events are kept for replay). Once the file is read,
/// <see cref="Finish"/> decides which parts become runs: every labelled part, and the unlabelled part too when it holds
/// kernels (a merge that left one rank's names unprefixed); an unlabelled part without kernels holds only CPU-side
/// events that belong to no rank, which are counted (<c>rank_unlabelled_events</c>) and not stored.
/// </remarks>
public sealed class RankRouter : ITraceEventSink, IDisposable
{
    /// <summary>Most unlabelled metadata (<c>M</c>) events kept for replay into parts created later.</summary>
    public const int MaxKeptMetadataEvents = 65_536;

    private readonly List<RankPart> _parts = [];
    private readonly Dictionary<string, RankPart> _byLabel = new(StringComparer.Ordinal);
    private readonly List<(string Key, JsonElement Value)> _metadata = [];
    private readonly List<MetaEvent> _metaEvents = [];
    private readonly WarningLog _readerWarnings = new();
    private byte[] _lastLabel = [];
    private RankPart? _lastPart;
    private long _unlabelledEvents;
    private List<RankPart>? _runs;
    private readonly List<(RankPart Part, int Index, long ByteOffset)> _documents = [];
    private RankPart? _document; // the part of the current document, once a second one has started

    /// <summary>Creates the router with its unlabelled part.</summary>
    /// <exception cref="Storage.DatabaseException">The staging database cannot be created.</exception>
    public RankRouter() => _parts.Add(new RankPart(null));

    /// <summary>Every part so far: the unlabelled part first, then one per label in order of first appearance.</summary>
    public IReadOnlyList<RankPart> Parts => _parts;

    /// <summary>True when the file holds rank labels (a merged multi-rank trace).</summary>
    public bool IsMerged => _parts.Count > 1 && _documents.Count == 0;

    /// <summary>True when the file holds several whole JSON documents (one per writer).</summary>
    public bool IsConcatenated => _documents.Count > 0;

    /// <inheritdoc />
    public bool AcceptsConcatenatedDocuments => _parts.Count - _documents.Count <= 1; // not mixed with rank labels

    /// <inheritdoc />
    /// <remarks>
    /// Each document after the first becomes a part of its own, labelled <c>document N</c>: its events, metadata
    /// events and top-level metadata (its <c>distributedInfo</c>) go to it alone; the reader's warnings still go to
    /// every part.
    /// </remarks>
    public void OnDocumentStart(int index, long byteOffset)
    {
        if (_documents.Count == 0) _documents.Add((_parts[0], 1, 0));
        var part = new RankPart($"document {index}");
        _parts.Add(part);
        _documents.Add((part, index, byteOffset));
        foreach (var (_, entry) in _readerWarnings.Entries)
            part.Normalizer.Warnings.Add(entry.Kind, entry.FirstByteOffset, entry.Detail, entry.Count);
        _document = part;
    }

    /// <inheritdoc />
    public void OnEvent(ref TraceEvent e)
    {
        if (_document is not null)
        {
            _document.Normalizer.OnEvent(ref e);
            return;
        }
        var length = RankPrefix.Length(e.Name);
        if (length == 0)
        {
            if (e.Ph == (byte)'M')
            {
                if (_metaEvents.Count < MaxKeptMetadataEvents) _metaEvents.Add(MetaEvent.Of(ref e));
                foreach (var part in _parts) part.Normalizer.OnEvent(ref e);
                return;
            }
            _unlabelledEvents++;
            _parts[0].Normalizer.OnEvent(ref e);
            return;
        }
        var label = e.Name[..length].TrimEnd(" "u8);
        var target = _lastPart is not null && label.SequenceEqual(_lastLabel) ? _lastPart : Find(label);
        target.Normalizer.OnEvent(ref e);
    }

    /// <inheritdoc />
    public void OnMetadata(string key, JsonElement value)
    {
        if (_document is not null)
        {
            _document.Normalizer.OnMetadata(key, value);
            return;
        }
        _metadata.Add((key, value.Clone()));
        foreach (var part in _parts) part.Normalizer.OnMetadata(key, value);
    }

    /// <inheritdoc />
    public void OnWarning(WarningKind kind, long byteOffset, string detail)
    {
        _readerWarnings.Add(kind, byteOffset, detail);
        foreach (var part in _parts) part.Normalizer.OnWarning(kind, byteOffset, detail);
    }

    private RankPart Find(ReadOnlySpan<byte> label)
    {
        var text = Encoding.UTF8.GetString(label);
        if (!_byLabel.TryGetValue(text, out var part))
        {
            part = new RankPart(text);
            _parts.Add(part);
            _byLabel[text] = part;
            foreach (var (key, value) in _metadata) part.Normalizer.OnMetadata(key, value);
            foreach (var m in _metaEvents) m.Replay(part.Normalizer);
            foreach (var (_, entry) in _readerWarnings.Entries)
                part.Normalizer.Warnings.Add(entry.Kind, entry.FirstByteOffset, entry.Detail, entry.Count);
        }
        _lastLabel = label.ToArray();
        _lastPart = part;
        return part;
    }

    /// <summary>
    /// Completes every part (<see cref="EventNormalizer.Complete"/>) and returns those that become runs, by rank: the
    /// single part of a file without labels (its <see cref="RankPart.Rank"/> stays null), else every labelled part
    /// with the rank its label gives (<see cref="RankLabels"/>) and the unlabelled part when it holds kernels, with the
    /// lowest rank no label uses. Each run's part gets a <c>rank_from_label</c> warning saying how its rank was found.
    /// Calling it again returns the same parts.
    /// </summary>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">A staging database cannot be written.</exception>
    public IReadOnlyList<RankPart> Finish()
    {
        if (_runs is not null) return _runs;
        foreach (var part in _parts) part.Normalizer.Complete();
        if (IsConcatenated) return _runs = DocumentRuns();
        if (!IsMerged) return _runs = [_parts[0]];
        var labelled = _parts.Skip(1).ToList();
        var (ranks, evidence) = RankLabels.Assign(labelled.Select(p => p.Label!).ToList());
        for (var i = 0; i < labelled.Count; i++)
        {
            labelled[i].Rank = ranks[i];
            labelled[i].Normalizer.Warnings.Add(WarningCatalog.RankFromLabel, null,
                $"merged multi-rank trace: this run holds the events labelled {labelled[i].Label}; rank {ranks[i]} is {evidence}");
        }
        var runs = new List<RankPart>(labelled);
        var unlabelled = _parts[0];
        if (unlabelled.KernelCount > 0)
        {
            long free = 0;
            while (ranks.Contains(free)) free++;
            unlabelled.Rank = free;
            unlabelled.Normalizer.Warnings.Add(WarningCatalog.RankFromLabel, null,
                $"merged multi-rank trace: this run holds the events without a rank label; rank {free} is the lowest rank no label gives");
            runs.Add(unlabelled);
        }
        else if (_unlabelledEvents > 0)
        {
            foreach (var part in labelled)
                part.Normalizer.Warnings.Add(WarningCatalog.RankUnlabelledEvents, null,
                    $"merged multi-rank trace: {_unlabelledEvents} event(s) without a rank label and no kernel among them belong to no rank; not stored",
                    _unlabelledEvents);
        }
        return _runs = runs.OrderBy(p => p.Rank).ToList();
    }

    /// <summary>
    /// The runs of a file of concatenated documents: one per document, its rank from its own
    /// <c>distributedInfo.rank</c> when every document gives a distinct one, else its position (document 1 → rank 0).
    /// </summary>
    private List<RankPart> DocumentRuns()
    {
        var given = _documents.Select(d => d.Part.Normalizer.Metadata.Rank).ToList();
        var distinct = given.All(r => r is not null) && given.Distinct().Count() == given.Count;
        foreach (var (part, index, offset) in _documents)
        {
            part.Rank = distinct ? part.Normalizer.Metadata.Rank : index - 1;
            var how = distinct ? "its distributedInfo.rank" : "its position in the file (the documents give no distinct distributedInfo.rank)";
            part.Normalizer.Warnings.Add(WarningCatalog.ConcatenatedDocuments, offset,
                $"{_documents.Count} whole JSON documents follow one another in this file (several processes, e.g. every rank, wrote one path at once: sgl-project/sglang#15326); " +
                $"this run holds document {index} (from byte {offset} of the decompressed stream), rank {part.Rank} by {how}. " +
                "Nothing was lost; to avoid it, give each rank its own trace file");
        }
        return _documents.Select(d => d.Part).OrderBy(p => p.Rank).ToList();
    }

    /// <summary>Disposes every part (normalizers and staging databases).</summary>
    public void Dispose()
    {
        foreach (var part in _parts) part.Dispose();
    }

    /// <summary>An unlabelled metadata event, copied out of the reader's buffers for replay.</summary>
    private sealed record MetaEvent(long ByteOffset, byte Ph, EventCategory Category, byte[] Cat, byte[] Name, bool HasTs, long TsNs,
        long? Pid, byte[] PidText, long? Tid, byte[] TidText, byte[] ArgLabels, byte[] ArgName)
    {
        public static MetaEvent Of(ref TraceEvent e) => new(e.ByteOffset, e.Ph, e.Category, e.Cat.ToArray(), e.Name.ToArray(), e.HasTs, e.TsNs,
            e.Pid, e.PidText.ToArray(), e.Tid, e.TidText.ToArray(), e.ArgLabels.ToArray(), e.ArgName.ToArray());

        public void Replay(EventNormalizer normalizer)
        {
            var e = new TraceEvent
            {
                ByteOffset = ByteOffset, Ph = Ph, Category = Category, Cat = Cat, Name = Name, HasTs = HasTs, TsNs = TsNs,
                Pid = Pid, PidText = PidText, Tid = Tid, TidText = TidText, ArgLabels = ArgLabels, ArgName = ArgName,
            };
            normalizer.OnEvent(ref e);
        }
    }
}
