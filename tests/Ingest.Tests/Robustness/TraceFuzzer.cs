using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>
/// Mutates a real trace with a fixed seed (truncate, flip, delete and insert bytes, duplicate and reorder events,
/// gzip / cut gzip) and ingests each case in-process into a database that already holds the unmutated trace:
/// each case must ingest (with warnings) or fail with one of the exceptions <see cref="TraceIngestor.Ingest"/> documents
/// (a format error, an ingest error, a database error, or a file that reads as a graph-capture trace), and a failed
/// case must leave every table's row count unchanged. Each case's seed is a fixed function of the seed, the trace and
/// the case number, so a failure names a case that reproduces in any process.
/// </summary>
internal static class TraceFuzzer
{
    /// <summary>Events kept from each source trace, so that every case stays small and fast.</summary>
    public const int MaxEvents = 400;

    public sealed record Outcome(int Cases, int Ingested, int Failed, List<string> Problems, Dictionary<string, int> FailureKinds);

    /// <summary>A small, valid base document: the trace's metadata and a window of its events (raw JSON texts).</summary>
    public static (string Head, List<string> Events, string Tail) BaseOf(string tracePath, int seed)
    {
        using var raw = File.OpenRead(tracePath);
        using var json = TraceInput.Open(raw, tracePath);
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1024 });
        var root = doc.RootElement;
        var all = (root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("traceEvents")).EnumerateArray().ToList();
        var start = all.Count <= MaxEvents ? 0 : new Random(seed).Next(all.Count - MaxEvents);
        var events = all.Skip(start).Take(MaxEvents).Select(e => e.GetRawText()).ToList();
        if (root.ValueKind == JsonValueKind.Array) return ("[", events, "]");
        var members = root.EnumerateObject().Where(p => p.Name != "traceEvents").Select(p => JsonSerializer.Serialize(p.Name) + ":" + p.Value.GetRawText()).ToList();
        var half = members.Count / 2;
        var head = "{" + string.Concat(members.Take(half).Select(m => m + ",")) + "\"traceEvents\":[";
        var tail = "]" + string.Concat(members.Skip(half).Select(m => "," + m)) + "}";
        return (head, events, tail);
    }

    public static Outcome Run(IReadOnlyList<string> traces, int casesPerTrace, int seed)
    {
        var problems = new List<string>();
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        int cases = 0, ingested = 0, failed = 0;
        using var dir = new TempDir();
        var traceIndex = 0;
        foreach (var trace in traces)
        {
            traceIndex++;
            var db = dir.File($"fuzz-{traceIndex}.db");
            var (head, events, tail) = BaseOf(trace, seed);
            var basePath = dir.File($"base-{traceIndex}.json");
            File.WriteAllText(basePath, head + string.Join(",", events) + tail);
            Ingest(basePath, db);
            for (var c = 0; c < casesPerTrace; c++)
            {
                cases++;
                var caseSeed = CaseSeed(seed, traceIndex, c);
                var rng = new Random(caseSeed);
                var (bytes, what) = Mutate(rng, head, events, tail);
                var path = dir.File($"case-{traceIndex}-{c}.json");
                File.WriteAllBytes(path, bytes);
                var before = Counts(db);
                try
                {
                    var outcome = Ingest(path, db);
                    ingested++;
                    var after = Counts(db);
                    // One run per rank: a mutation can leave several whole documents one after another (concatenated_documents).
                    var expectedRuns = before["runs"] + (outcome.AlreadyPresent ? 0 : outcome.RunIds.Count);
                    if (after["runs"] != expectedRuns) problems.Add($"{Describe(trace, caseSeed, what)}: runs {before["runs"]} -> {after["runs"]}");
                }
                // A mutation can leave a document that looks like a graph-capture trace (launches, no kernel events):
                // ingest refuses it on purpose, naming the file, and stores nothing.
                catch (Exception ex) when (ex is TraceFormatException or IngestException or DatabaseException or GraphCaptureTraceException)
                {
                    failed++;
                    var kind = ex.GetType().Name;
                    kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                    if (string.IsNullOrWhiteSpace(ex.Message) || !ex.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal) && ex is TraceFormatException)
                        problems.Add($"{Describe(trace, caseSeed, what)}: unclear message '{ex.Message}'");
                    var after = Counts(db);
                    if (!after.SequenceEqual(before)) problems.Add($"{Describe(trace, caseSeed, what)}: failed ingest changed the database");
                }
                catch (Exception ex)
                {
                    problems.Add($"{Describe(trace, caseSeed, what)}: unhandled {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                }
                File.Delete(path);
            }
            using (var check = new SqliteConnection($"Data Source={db};Pooling=False"))
            {
                check.Open();
                using var cmd = check.CreateCommand();
                cmd.CommandText = "PRAGMA integrity_check";
                var integrity = cmd.ExecuteScalar() as string;
                if (integrity != "ok") problems.Add($"{trace}: integrity_check {integrity}");
            }
        }
        return new Outcome(cases, ingested, failed, problems, kinds);
    }

    /// <summary>
    /// The seed of case <paramref name="c"/> of trace <paramref name="traceIndex"/>: the same in every process (unlike
    /// <see cref="HashCode.Combine{T1, T2, T3}"/>, which is randomized per process), non-negative.
    /// </summary>
    internal static int CaseSeed(int seed, int traceIndex, int c) =>
        (int)(unchecked((uint)seed * 2_654_435_761u + (uint)traceIndex * 40_503u + (uint)c * 97u) & 0x7fffffff);

    private static string Describe(string trace, int caseSeed, string what) => $"{Path.GetFileName(trace)} case seed {caseSeed} ({what})";

    private static IngestOutcome Ingest(string path, string db) =>
        TraceIngestor.Ingest(new IngestRequest { TracePath = path, DbPath = db, BufferSize = 4096 });

    private static SortedDictionary<string, long> Counts(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        var tables = new List<string>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var r = cmd.ExecuteReader();
            while (r.Read()) tables.Add(r.GetString(0));
        }
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in tables)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM \"{t}\"";
            counts[t] = (long)cmd.ExecuteScalar()!;
        }
        return counts;
    }

    private static readonly byte[] Interesting = "{}[]\",:\\0123456789-.eEinfaNtrulsX \n\t"u8.ToArray();

    /// <summary>One mutation (sometimes two), described in words for the failure message.</summary>
    public static (byte[] Bytes, string What) Mutate(Random rng, string head, List<string> events, string tail)
    {
        var list = new List<string>(events);
        var what = new List<string>();
        var op = rng.Next(8);
        if (op is 4 or 6 && list.Count > 0)
        {
            var n = rng.Next(1, 6);
            for (var i = 0; i < n; i++) list.Insert(rng.Next(list.Count + 1), list[rng.Next(list.Count)]);
            what.Add($"duplicate {n} events");
        }
        if (op is 5 or 6 && list.Count > 1)
        {
            var a = rng.Next(list.Count);
            var len = Math.Min(list.Count - a, rng.Next(2, 50));
            var window = list.GetRange(a, len).OrderBy(_ => rng.Next()).ToList();
            list.RemoveRange(a, len);
            list.InsertRange(a, window);
            what.Add($"reorder {len} events at {a}");
        }
        var bytes = Encoding.UTF8.GetBytes(head + string.Join(",", list) + tail);
        if (op is 0 or 1 or 2 or 3 || op == 6 || rng.Next(4) == 0)
        {
            var byteOp = op <= 3 ? op : rng.Next(4);
            bytes = ByteMutation(rng, bytes, byteOp, what);
        }
        if (op == 7 || rng.Next(5) == 0)
        {
            bytes = Gzip(bytes);
            what.Add("gzip");
            if (rng.Next(3) == 0 && bytes.Length > 20)
            {
                var cut = rng.Next(10, bytes.Length);
                bytes = bytes[..cut];
                what.Add($"gzip cut at {cut}");
            }
        }
        return (bytes, string.Join(", ", what.DefaultIfEmpty("unchanged")));
    }

    private static byte[] ByteMutation(Random rng, byte[] bytes, int op, List<string> what)
    {
        if (bytes.Length == 0) return bytes;
        var at = rng.Next(bytes.Length);
        switch (op)
        {
            case 0:
                what.Add($"truncate at {at}");
                return bytes[..at];
            case 1:
            {
                var n = rng.Next(1, 9);
                var copy = (byte[])bytes.Clone();
                for (var i = 0; i < n; i++) copy[rng.Next(copy.Length)] ^= (byte)(1 << rng.Next(8));
                what.Add($"flip {n} bits");
                return copy;
            }
            case 2:
            {
                var len = Math.Min(bytes.Length - at, rng.Next(1, 65));
                what.Add($"delete {len} bytes at {at}");
                return [.. bytes[..at], .. bytes[(at + len)..]];
            }
            default:
            {
                var len = rng.Next(1, 17);
                var insert = new byte[len];
                for (var i = 0; i < len; i++)
                    insert[i] = rng.Next(4) == 0 ? (byte)rng.Next(256) : Interesting[rng.Next(Interesting.Length)];
                what.Add($"insert {len} bytes at {at}");
                return [.. bytes[..at], .. insert, .. bytes[at..]];
            }
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }
}
