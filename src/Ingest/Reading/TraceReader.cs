using System.Text;
using System.Text.Json;
using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// Streams a Chrome trace-event / Kineto JSON document into an <see cref="ITraceEventSink"/> with memory bounded
/// by the largest single event, never by the file size (docs/trace-format.md, 'Files and compression'). An <see cref="EventFramer"/> buffers the
/// decompressed bytes; each event of the <c>traceEvents</c> array (or of a top-level array) is decoded in place, in one
/// pass that also finds its end, by the <see cref="FastEventScanner"/>, or, when that declines (an unusual event, or one
/// not wholly in the buffer yet), framed by the <see cref="EventFramer"/> and decoded again: by the fast scanner when it
/// is clean, else by the validating <see cref="TraceEventParser"/>. Other top-level members, before or after the array, go to
/// <see cref="ITraceEventSink.OnMetadata"/>. Problems real producers write (docs/messy-traces.md, B02–B12) are repaired
/// with a warning per repair, or, in strict mode, thrown.
/// </summary>
/// <remarks>
/// The validating parser parses a framed event as it is; only an event whose parse fails is copied with fixes
/// (<see cref="JsonRepair"/>) and parsed again. An event that still fails is skipped and reading resumes at the
/// next event boundary. A reader may be reused for several files, one at a time.
/// </remarks>
public sealed class TraceReader
{
    private readonly TraceReaderOptions _options;

    /// <summary>Creates a reader.</summary>
    /// <param name="options">Buffer size and strictness; defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TraceReaderOptions.BufferSize"/> is below 16.</exception>
    public TraceReader(TraceReaderOptions? options = null)
    {
        _options = options ?? new TraceReaderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BufferSize, 16, "options.BufferSize");
    }

    /// <summary>Reads one trace document.</summary>
    /// <param name="decompressed">The JSON bytes (see <see cref="TraceInput.Open(string)"/>), read to the end.</param>
    /// <param name="filePath">The file's name, used in warnings and errors.</param>
    /// <param name="sink">Receives events, metadata and warnings in file order; the event's spans are valid only during the call.</param>
    /// <param name="progressBytes">Called with the number of JSON bytes consumed so far, about every 4 MiB and once at the end.</param>
    /// <param name="ct">Checked between buffer fills.</param>
    /// <param name="opened">
    /// The stream <see cref="TraceInput.Open(Stream, string)"/> returned, when <paramref name="decompressed"/> wraps it
    /// (e.g. a read-ahead buffer): it says whether the file was gzip and where decompression failed, for the
    /// "empty trace after decompression" message and the <c>gzip_truncated</c> warning. Null: taken from
    /// <paramref name="decompressed"/> itself.
    /// </param>
    /// <returns>Counts of what was read.</returns>
    /// <exception cref="TraceFormatException">
    /// The data is not a JSON trace (empty, or not starting with <c>{</c> or <c>[</c>), the top-level object is
    /// broken before any event, or (strict mode) the first repairable problem; the message gives the file, byte
    /// offset, line and column.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public TraceReadSummary Read(Stream decompressed, string filePath, ITraceEventSink sink, Action<long>? progressBytes = null, CancellationToken ct = default, Stream? opened = null)
    {
        ArgumentNullException.ThrowIfNull(decompressed);
        ArgumentNullException.ThrowIfNull(sink);
        var framer = new EventFramer(decompressed, _options.BufferSize, progressBytes, ct);
        var log = new ProblemLog(sink, _options.Strict, filePath, framer.Locate);
        var run = new ReadRun(framer, log, new TraceEventParser(log), sink, !_options.DisableFastPath);
        run.ReadDocument((opened ?? decompressed) as TraceInputStream);
        framer.ReportFinalProgress();
        return new TraceReadSummary(run.EventCount, framer.TotalRead, run.TopLevelArray, run.Truncated, log.WarningCount, run.SkippedCount);
    }

    /// <summary>The state of one <see cref="Read"/> call.</summary>
    private sealed class ReadRun(EventFramer framer, ProblemLog log, TraceEventParser parser, ITraceEventSink sink, bool useFastPath)
    {
        private readonly JsonRepair _repair = new();
        private readonly FastEventScanner? _fast = log.Strict || !useFastPath ? null : new FastEventScanner();

        public long EventCount { get; private set; }
        public long SkippedCount { get; private set; }
        public bool TopLevelArray { get; private set; }
        public bool Truncated { get; private set; }

        public void ReadDocument(TraceInputStream? input)
        {
            int first = framer.PeekNonWhitespace();
            if (first < 0) throw log.Error(framer.Position, input?.IsGzip == true ? "empty trace after decompression" : "empty trace: no JSON in the data");
            if (first == '[')
            {
                TopLevelArray = true;
                framer.Advance(1);
                ReadEventArray(topLevel: true);
            }
            else if (first == '{')
            {
                framer.Advance(1);
                ReadTopObject();
            }
            else
            {
                throw log.Error(framer.Position, $"not a JSON trace: expected '{{' or '[' but found {Describe((byte)first)}");
            }
            // Several writers appending whole documents to one path (every rank at once, sgl-project/sglang#15326):
            // a sink that takes them reads each as its own document.
            for (var index = 2; !Truncated && sink.AcceptsConcatenatedDocuments && NextIsDocument(); index++)
            {
                var isArray = framer.PeekNonWhitespace() == '[';
                sink.OnDocumentStart(index, framer.Position);
                framer.Advance(1);
                if (isArray) ReadEventArray(topLevel: true);
                else ReadTopObject();
            }
            if (!Truncated)
            {
                int after = framer.PeekNonWhitespace();
                if (after >= 0)
                {
                    log.Report(WarningCatalog.TrailingData, framer.Position,
                        $"{Describe((byte)after)} after the end of the JSON document; the rest of the data ({framer.TotalRead - framer.Position}+ bytes) was ignored");
                }
            }
            if (input?.DecompressionError is { } err && Truncated)
            {
                // Invalid deflate data (a cut-short file ends cleanly instead): zlib notices bad bits only after it has
                // inflated some garbage, so the events just before the error cannot be trusted. Storing them would make a
                // run of garbage (docs/messy-traces.md, B10: salvage a truncated gzip, not a corrupt one).
                throw log.Error(input.ErrorAtDecompressedByte,
                    $"the gzip data is corrupt ({err}); decompression failed after {input.ErrorAtDecompressedByte} decompressed bytes and the JSON is cut there; nothing was stored");
            }
            if (input?.DecompressionError is { } tail)
            {
                // The JSON document was complete: only the gzip trailer (CRC, size) or bytes after it are bad.
                log.Report(WarningCatalog.GzipTruncated, input.ErrorAtDecompressedByte,
                    $"the gzip data is corrupt after {input.ErrorAtDecompressedByte} decompressed bytes ({tail}), after the end of the JSON document; every event was read");
            }
        }

        /// <summary>
        /// True when what follows the document just read is another trace document: an array of events, or an object
        /// whose first member is not an event field (a stray event object after a broken document is trailing data).
        /// </summary>
        private bool NextIsDocument()
        {
            int c = framer.PeekNonWhitespace();
            if (c == '[') return true;
            if (c != '{') return false;
            while (framer.Pending.Length < 256 && framer.Fill()) { }
            var rest = framer.Pending[1..];
            var quote = rest.IndexOfAnyExcept(" \t\r\n"u8);
            if (quote < 0 || rest[quote] != (byte)'"') return false;
            var name = rest[(quote + 1)..];
            var end = name.IndexOf((byte)'"');
            if (end < 0) return false;
            return !IsEventField(name[..end]);
        }

        private static bool IsEventField(ReadOnlySpan<byte> key) =>
            key.SequenceEqual("ph"u8) || key.SequenceEqual("name"u8) || key.SequenceEqual("cat"u8) || key.SequenceEqual("ts"u8)
            || key.SequenceEqual("dur"u8) || key.SequenceEqual("pid"u8) || key.SequenceEqual("tid"u8) || key.SequenceEqual("args"u8)
            || key.SequenceEqual("id"u8) || key.SequenceEqual("bp"u8) || key.SequenceEqual("s"u8);

        private void ReadTopObject()
        {
            bool expectMember = true, afterComma = false, sawEvents = false;
            long commaAt = 0;
            while (true)
            {
                int c = framer.PeekNonWhitespace();
                long at = framer.Position;
                if (c < 0)
                {
                    TruncatedAt("inside the top-level object");
                    return;
                }
                if (c == '}')
                {
                    if (afterComma) log.Report(WarningCatalog.TrailingComma, commaAt, "comma before '}' of the top-level object ignored");
                    framer.Advance(1);
                    if (!sawEvents) log.Report(WarningCatalog.NoTraceEvents, at, "the top-level object has no traceEvents array");
                    return;
                }
                if (c == ',')
                {
                    if (expectMember) log.Report(WarningCatalog.ExtraComma, at, "extra comma in the top-level object ignored");
                    commaAt = at;
                    framer.Advance(1);
                    expectMember = true;
                    afterComma = true;
                    continue;
                }
                if (c != '"')
                {
                    if (!sawEvents || log.Strict)
                        throw log.Error(at, $"not a JSON trace: expected a member name in the top-level object but found {Describe((byte)c)}");
                    log.Report(WarningCatalog.TrailingData, at, $"{Describe((byte)c)} where a top-level member name should be; the rest of the data was ignored (all events kept)");
                    return;
                }
                if (!expectMember) log.Report(WarningCatalog.MissingComma, at, "missing comma between top-level members");
                if (!framer.FrameString(out int keyLength))
                {
                    TruncatedAt("inside a top-level member name");
                    return;
                }
                var key = DecodeKey(framer.Pending[..keyLength]);
                framer.Advance(keyLength);
                int colon = framer.PeekNonWhitespace();
                if (colon != ':')
                {
                    if (colon < 0)
                    {
                        TruncatedAt($"after the top-level member name \"{key}\"");
                        return;
                    }
                    if (!sawEvents || log.Strict)
                        throw log.Error(framer.Position, $"expected ':' after the top-level member name \"{key}\" but found {Describe((byte)colon)}");
                    log.Report(WarningCatalog.MetadataMemberSkipped, framer.Position, $"top-level member \"{key}\" has no ':'; the rest of the data was ignored (all events kept)");
                    return;
                }
                framer.Advance(1);
                int v = framer.PeekNonWhitespace();
                if (v < 0)
                {
                    TruncatedAt($"before the value of the top-level member \"{key}\"");
                    return;
                }
                expectMember = false;
                afterComma = false;
                if (key == "traceEvents" && v == '[')
                {
                    sawEvents = true;
                    framer.Advance(1);
                    if (!ReadEventArray(topLevel: false)) return;
                    continue;
                }
                if (key == "traceEvents")
                    log.Report(WarningCatalog.NoTraceEvents, framer.Position, $"traceEvents is not an array (starts with {Describe((byte)v)}); ignored");
                if (!ReadMetadataValue(key)) return;
            }
        }

        /// <returns>False when the data ended inside the value.</returns>
        private bool ReadMetadataValue(string key)
        {
            long at = framer.Position;
            if (!framer.FrameValue(out int length))
            {
                TruncatedAt($"inside the value of the top-level member \"{key}\"");
                return false;
            }
            var bytes = framer.Pending[..length];
            string? error = null;
            if (TryParseElement(bytes, out var element, ref error))
            {
                sink.OnMetadata(key, element);
            }
            else if (log.Strict)
            {
                throw log.Error(at, $"top-level member \"{key}\" is not valid JSON: {error}");
            }
            else if (_repair.Repair(bytes) && TryParseElement(_repair.Output, out element, ref error))
            {
                ReportRepairs(at);
                sink.OnMetadata(key, element);
            }
            else
            {
                log.Report(WarningCatalog.MetadataMemberSkipped, at, $"top-level member \"{key}\" is not valid JSON ({error}); dropped");
            }
            framer.Advance(length);
            return true;
        }

        private static bool TryParseElement(ReadOnlySpan<byte> bytes, out JsonElement element, ref string? error)
        {
            try
            {
                var r = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 1024 });
                element = JsonElement.ParseValue(ref r);
                if (r.Read()) throw new JsonException("unexpected data after the value");
                // The parser does not validate UTF-8 inside strings; reading such a string later would throw.
                if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new JsonException("invalid UTF-8 in a string");
                return true;
            }
            catch (JsonException ex)
            {
                element = default;
                error = ex.Message;
                return false;
            }
        }

        /// <summary>Reads events up to the closing <c>]</c>.</summary>
        /// <returns>False when the data ended inside the array.</returns>
        private bool ReadEventArray(bool topLevel)
        {
            bool expectElement = true, afterComma = false;
            long commaAt = 0;
            while (true)
            {
                int c = framer.PeekNonWhitespace();
                long at = framer.Position;
                if (c == '{')
                {
                    if (!expectElement) log.Report(WarningCatalog.MissingComma, at, "missing comma between two events");
                    if (TryScanInPlace(at))
                    {
                        expectElement = false;
                        afterComma = false;
                        continue;
                    }
                    if (!framer.FrameObject(out int length))
                    {
                        // The data ends inside this event, unless damage made the framer run past real boundaries.
                        int boundary = log.Strict ? -1 : EventFramer.FindBoundary(framer.Pending[..length], 1);
                        if (boundary > 0)
                        {
                            Skip(at, "the event never closes (unbalanced quotes or braces)");
                            framer.Advance(boundary);
                            continue;
                        }
                        TruncatedAt($"inside the event that starts at byte {at}");
                        return false;
                    }
                    HandleEvent(length, at);
                    expectElement = false;
                    afterComma = false;
                    continue;
                }
                if (c == ']')
                {
                    if (afterComma) log.Report(WarningCatalog.TrailingComma, commaAt, "comma before ']' of the event array ignored");
                    framer.Advance(1);
                    return true;
                }
                if (c == ',')
                {
                    if (expectElement) log.Report(WarningCatalog.ExtraComma, at, "extra comma in the event array ignored");
                    commaAt = at;
                    framer.Advance(1);
                    expectElement = true;
                    afterComma = true;
                    continue;
                }
                if (c < 0)
                {
                    if (topLevel)
                    {
                        log.Report(WarningCatalog.UnclosedArray, framer.TotalRead,
                            $"the event array is not closed; the data ends at byte {framer.TotalRead} after {EventCount} events (allowed by the trace-event format)");
                    }
                    else
                    {
                        TruncatedAt("inside the event array");
                    }
                    return false;
                }
                // Something other than an event where an event or a separator should be.
                if (log.Strict) throw log.Error(at, $"expected an event object in the event array but found {Describe((byte)c)}");
                Skip(at, $"{Describe((byte)c)} where an event object should be");
                if (!framer.SkipToNextEventStart())
                {
                    TruncatedAt("while looking for the next event after damaged data");
                    return false;
                }
                expectElement = true;
                afterComma = true;
            }
        }

        /// <summary>
        /// The hot path: decodes a clean event straight from the buffer, finding its end as it goes (one pass over its
        /// bytes). False (nothing consumed or reported) when the event is unusual or not wholly in the buffer yet; it
        /// is then framed and handled by <see cref="HandleEvent"/>.
        /// </summary>
        private bool TryScanInPlace(long at)
        {
            if (_fast is null) return false;
            var ev = new TraceEvent();
            if (!_fast.TryScanPrefix(framer.Pending, at, ref ev, out int length)) return false;
            EventCount++;
            sink.OnEvent(ref ev);
            framer.Advance(length);
            return true;
        }

        /// <summary>
        /// Handles a framed event of <paramref name="length"/> bytes: the fast scanner now that it is wholly in the buffer
        /// (a clean event that a refill had split), else the validating parser.
        /// </summary>
        private void HandleEvent(int length, long at)
        {
            if (TryScanInPlace(at)) return; // an event the scanner accepts ends where the framer found its end
            var json = framer.Pending[..length];
            var ev = new TraceEvent();
            var status = parser.TryParse(json, at, ref ev, out int errorRel, out string? error);
            bool exact = true;
            if (status == TraceEventParser.Status.Failed)
            {
                if (log.Strict) throw log.Error(at + errorRel, $"malformed event (starts at byte {at}): {error}");
                long errorAt = at + errorRel;
                if (_repair.Repair(json))
                {
                    status = parser.TryParse(_repair.Output, at, ref ev, out _, out string? again);
                    if (status != TraceEventParser.Status.Failed && _repair.FixedNonStandardNumber && parser.TimeWasNull)
                    {
                        status = TraceEventParser.Status.Failed;
                        error = "ts or dur is inf/nan";
                    }
                    else if (status == TraceEventParser.Status.Failed)
                    {
                        error = again;
                    }
                    else
                    {
                        ReportRepairs(at);
                        exact = false;
                    }
                }
                if (status == TraceEventParser.Status.Failed)
                {
                    Skip(errorAt, $"malformed event (starts at byte {at}): {error}");
                    int boundary = EventFramer.FindBoundary(json[..^1], 1);
                    framer.Advance(boundary > 0 ? boundary : length);
                    return;
                }
            }
            parser.FlushWarnings(at, exact);
            if (status == TraceEventParser.Status.Empty)
            {
                SkippedCount++;
                log.Report(WarningCatalog.EmptyEvent, at, "event without \"ph\" (e.g. {}) skipped");
            }
            else
            {
                EventCount++;
                sink.OnEvent(ref ev);
            }
            framer.Advance(length);
        }

        private void ReportRepairs(long at)
        {
            for (int k = 0; k < JsonRepair.Kinds.Length; k++)
            {
                int n = _repair.Counts[k];
                if (n == 0) continue;
                log.Report(JsonRepair.Kinds[k], at + _repair.FirstOffsets[k], $"{n} {JsonRepair.Phrases[k]} repaired in the value that starts at byte {at}");
            }
        }

        private void Skip(long at, string detail)
        {
            SkippedCount++;
            log.Report(WarningCatalog.MalformedEventSkipped, at, detail);
        }

        private void TruncatedAt(string where)
        {
            Truncated = true;
            long end = framer.TotalRead;
            log.Report(WarningCatalog.TruncatedFile, end, $"the trace ends at byte {end} {where}, after {EventCount} complete events");
        }

        private static string DecodeKey(ReadOnlySpan<byte> quoted)
        {
            var inner = quoted[1..^1];
            if (inner.IndexOf((byte)'\\') < 0) return Encoding.UTF8.GetString(inner);
            try
            {
                var r = new Utf8JsonReader(quoted);
                r.Read();
                return r.GetString() ?? "";
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return Encoding.UTF8.GetString(inner);
            }
        }

        private static string Describe(byte b) => b is >= 0x20 and < 0x7F ? $"'{(char)b}'" : $"byte 0x{b:X2}";
    }
}
