using System.Text;
using System.Text.Json;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Reading;

namespace LlmPipeline.Ingest.Tests.Reading;

/// <summary>One event as the reader delivered it, copied out of the reader's buffers.</summary>
public sealed record SeenEvent(
    long ByteOffset, char Ph, EventCategory Category, string Cat, string Name,
    long? TsNs, long? DurNs, long? Pid, string PidText, long? Tid, string TidText, long? Id,
    long? Device, long? Stream, long? Correlation, long? ExternalId, string Grid, string Block, string InputDims, long? Bytes, long? SyclQueue = null);

/// <summary>A test sink: keeps every event (or only counts them), the metadata as raw JSON, and the warnings.</summary>
public sealed class RecordingSink(bool keepEvents = true) : ITraceEventSink
{
    public List<SeenEvent> Events { get; } = [];
    public long EventCount { get; private set; }
    public Dictionary<EventCategory, long> CountByCategory { get; } = [];
    public List<(string Key, string Json)> Metadata { get; } = [];
    public List<(string Kind, long Offset, string Detail)> Warnings { get; } = [];

    public void OnEvent(ref TraceEvent e)
    {
        EventCount++;
        CountByCategory[e.Category] = CountByCategory.GetValueOrDefault(e.Category) + 1;
        if (!keepEvents) return;
        Events.Add(new SeenEvent(e.ByteOffset, (char)e.Ph, e.Category, S(e.Cat), S(e.Name),
            e.HasTs ? e.TsNs : null, e.HasDur ? e.DurNs : null, e.Pid, S(e.PidText), e.Tid, S(e.TidText), e.Id,
            e.Device, e.Stream, e.Correlation, e.ExternalId, S(e.Grid), S(e.Block), S(e.InputDims), e.Bytes, e.SyclQueue));
    }

    public void OnMetadata(string key, JsonElement value) => Metadata.Add((key, value.GetRawText()));

    public void OnWarning(WarningKind kind, long byteOffset, string detail) => Warnings.Add((kind.Code, byteOffset, detail));

    public long Count(EventCategory category) => CountByCategory.GetValueOrDefault(category);

    public IEnumerable<string> WarningKinds => Warnings.Select(w => w.Kind);

    private static string S(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);
}
