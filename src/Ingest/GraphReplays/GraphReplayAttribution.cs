using System.Globalization;
using System.Text.RegularExpressions;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Launches;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Writing;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.GraphReplays;

/// <summary>
/// Gives the kernels of CUDA/HIP graph replays what they were captured with, from companion capture traces
/// (AMD-AGI/TraceLens#791, #795, #798; AMD-AGI/TraceLens#973 for engines that write none): the launching cpu_op's name, <c>Input Dims</c> and <c>Input type</c>, and the
/// module scopes (<c>module</c>, <c>layer_module</c>). A replay is the set of kernels whose correlation id is that of a
/// <c>cudaGraphLaunch</c> / <c>hipGraphLaunch</c> call (one launch, many kernels, no launching cpu_op).
/// <para>
/// Choosing a capture: by batch size first (the replay's step annotation <c>bs=N</c> or vLLM's <c>execute_N_…</c>
/// against each capture's <see cref="GraphCaptureTrace.BatchSize"/>: the equal one, else the smallest larger one, as engines
/// pad a batch to the next captured size); then by how many kernels align; then by how many grids agree. Captures of
/// different batch sizes that tie are never chosen between: shapes are taken from no capture rather than from another
/// batch size.
/// </para>
/// <para>
/// Aligning a replay (kernels in start order) to a capture's kernel sequence (launch order), first that succeeds:
/// <c>sequence</c> (the names, contiguous, at or after where the previous replay of the same capture ended: the pieces
/// of a PIECEWISE capture follow each other); <c>rotation</c> (the replay is a rotation of a window of the capture:
/// AMD-AGI/TraceLens#798); <c>per-stream</c> (a multi-stream replay: each stream's kernels in order, each to the next
/// unused captured kernel of its name after that stream's previous one); <c>group-by-name</c> (the k-th replayed kernel
/// of a name to the k-th captured one of that name, when at least half of the replay's kernels find a partner so);
/// kernels still without a partner then by <c>category</c> (the k-th
/// of a category to the k-th unused captured one); a capture without kernel names by <c>launch order</c> when it
/// holds exactly as many launches as the replay has kernels.
/// </para>
/// The outcome is written into the run's kernel rows and returned for the <c>runs</c> row; replay kernels left without
/// an op are counted in <c>graph_replay_unattributed</c> with the reason; unreadable captures in
/// <c>capture_trace_unreadable</c>, captures given for a trace without replays in <c>capture_traces_unused</c>.
/// </summary>
public static partial class GraphReplayAttribution
{
    /// <summary>What <see cref="Apply"/> did.</summary>
    /// <param name="Api">The graph-launch call the trace uses (<c>cudaGraphLaunch</c>, <c>hipGraphLaunch</c>); null without replays.</param>
    /// <param name="Replays">Graph replays found (distinct device and launch correlation).</param>
    /// <param name="ReplayKernels">Kernels of those replays.</param>
    /// <param name="Attributed">Replay kernels given an op_name from a capture.</param>
    /// <param name="WithInputDims">Replay kernels given input_dims.</param>
    /// <param name="Method">How the replays were aligned: one method, or each method with its replay count
    /// (<c>sequence ×24, group-by-name ×1</c>); null when no replay was aligned.</param>
    /// <param name="FilesUsed">Capture files at least one replay was aligned to (file names).</param>
    public sealed record Outcome(string? Api, int Replays, long ReplayKernels, long Attributed, long WithInputDims, string? Method,
        IReadOnlyList<string> FilesUsed)
    {
        /// <summary>Attributed / replay kernels; null without replays.</summary>
        public double? Coverage => ReplayKernels == 0 ? null : (double)Attributed / ReplayKernels;

        /// <summary>The sentence the ingest summary gives; null without replays.</summary>
        public string? Sentence() => ReplayKernels == 0 ? null : Attributed == 0
            ? $"Graph replays: {ReplayKernels} kernels of {Replays} {Api} replay(s), none attributed."
            : string.Create(CultureInfo.InvariantCulture,
                $"Graph replays: {Attributed} of {ReplayKernels} kernels of {Replays} {Api} replay(s) ({100.0 * Attributed / ReplayKernels:0.0} %) took op, shapes and modules from {string.Join(", ", FilesUsed)}, aligned by {Method}.");
    }

    [GeneratedRegex(@"(?:\bbs=|^execute_)(?<n>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ReplayBatchSize();

    /// <summary>Finds the graph replays of run <paramref name="runId"/> and attributes them from the companion traces.</summary>
    /// <param name="connection">A database holding the run's kernels, launches, annotations and kernel names.</param>
    /// <param name="tx">The open transaction.</param>
    /// <param name="runId">The run.</param>
    /// <param name="tracePath">The main trace (its folder is searched for <c>capture_traces/</c>).</param>
    /// <param name="captureTraces"><c>--capture-traces</c> file or folder; null = auto-detect (<see cref="GraphCaptureTraceFiles"/>).</param>
    /// <param name="warnings">Receives the outcome rows.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="hasGraphLaunches">False when the run is known to hold no graph launch: the kernels are then not searched.</param>
    /// <param name="categorize">The run's kernel categorizer (name → category key), for the category fallback; null: no category fallback.</param>
    /// <returns>Counts and method; companions are read only when the trace has graph replays.</returns>
    /// <exception cref="IngestException"><paramref name="captureTraces"/> names neither a file nor a folder.</exception>
    public static Outcome Apply(SqliteConnection connection, SqliteTransaction tx, long runId, string tracePath,
        string? captureTraces, WarningLog warnings, CancellationToken ct = default, bool hasGraphLaunches = true,
        Func<string, string>? categorize = null)
    {
        var (files, isExplicit) = GraphCaptureTraceFiles.Resolve(tracePath, captureTraces);
        var (replays, api) = hasGraphLaunches ? FindReplays(connection, tx, runId) : ([], null);
        if (replays.Count == 0)
        {
            if (isExplicit)
                warnings.Add(WarningCatalog.CaptureTracesUnused, null,
                    $"the trace has no graph replays (no cudaGraphLaunch or hipGraphLaunch call launched kernels); the {files.Count} capture trace(s) given were not read");
            return new Outcome(null, 0, 0, 0, 0, null, []);
        }
        var captures = ReadCompanions(files, warnings, ct);
        var replayBatch = ReplayBatch(connection, tx, runId);
        var (candidates, choice) = Candidates(captures, replayBatch);
        var cursors = new Dictionary<GraphCaptureTrace, int>();
        var categoryCache = new Dictionary<string, string>(StringComparer.Ordinal);
        string Category(string name) => categorize is null ? "" :
            categoryCache.TryGetValue(name, out var c) ? c : categoryCache[name] = categorize(name);

        var used = new SortedSet<string>(StringComparer.Ordinal);
        var methods = new Dictionary<string, int>(StringComparer.Ordinal);
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long total = 0, attributed = 0, withDims = 0;
        using var contexts = new LaunchContexts(connection, tx);
        using var update = new KernelContextUpdate(connection, tx, runId);
        foreach (var replay in replays)
        {
            ct.ThrowIfCancellationRequested();
            total += replay.Kernels.Count;
            var (best, why) = Choose(replay, candidates, cursors, Category);
            if (best is null)
            {
                var reason = why ?? NoCaptureReason(files, captures, isExplicit, captureTraces, choice);
                reasons[reason] = reasons.GetValueOrDefault(reason) + replay.Kernels.Count;
                continue;
            }
            cursors[best.Capture] = best.Cursor;
            used.Add(best.Capture.FileName);
            methods[best.Method] = methods.GetValueOrDefault(best.Method) + 1;
            long noOp = 0, unmatched = 0;
            for (var i = 0; i < replay.Kernels.Count; i++)
            {
                if (best.Map[i] < 0)
                {
                    unmatched++;
                    continue;
                }
                var source = best.Capture.Kernels[best.Map[i]];
                if (source.OpName is null)
                {
                    noOp++;
                    continue;
                }
                var kernel = replay.Kernels[i];
                update.Run(replay.Device, kernel.KernelIdx, contexts.IdOf(source.OpName, source.InputDims, kernel.Grid, kernel.Block, source.InputTypes, source.Module, source.LayerModule));
                attributed++;
                if (source.InputDims is not null) withDims++;
            }
            if (unmatched > 0)
            {
                var r = $"{best.Capture.FileName} has no partner for them (aligned by {best.Method})";
                reasons[r] = reasons.GetValueOrDefault(r) + unmatched;
            }
            if (noOp > 0)
            {
                var r = $"their captured launches in {best.Capture.FileName} have no launching cpu_op";
                reasons[r] = reasons.GetValueOrDefault(r) + noOp;
            }
        }
        if (total > attributed)
            warnings.Add(WarningCatalog.GraphReplayUnattributed, null,
                $"no per-kernel attribution for {total - attributed} of {total} kernels launched by {replays.Count} {api} replay(s): op_name and input_dims are NULL; "
                + string.Join("; ", reasons.Select(kv => reasons.Count > 1 ? $"{kv.Value}: {kv.Key}" : kv.Key)),
                total - attributed);
        var method = methods.Count switch
        {
            0 => null,
            1 => methods.Keys.Single(),
            _ => string.Join(", ", methods.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} ×{kv.Value}")),
        };
        return new Outcome(api, replays.Count, total, attributed, withDims, method, used.ToList());
    }

    private static string NoCaptureReason(IReadOnlyList<string> files, IReadOnlyList<GraphCaptureTrace> captures, bool isExplicit, string? option, string? choice)
    {
        if (files.Count == 0)
            return isExplicit
                ? $"--capture-traces {option} holds no .json or .json.gz capture trace"
                : $"pass --capture-traces DIR (the {GraphCaptureTraceFiles.FolderName}/ companion files vLLM or SGLang write during graph capture)";
        if (captures.Count == 0) return $"none of the {files.Count} capture trace(s) could be read or holds captured kernels";
        return choice ?? $"none of the {captures.Count} capture trace(s) read holds their kernel sequence";
    }

    /// <summary>The captures to consider for replays of <paramref name="batch"/> (null: unknown), and why others were left out.</summary>
    private static (IReadOnlyList<GraphCaptureTrace> Captures, string? Why) Candidates(IReadOnlyList<GraphCaptureTrace> captures, int? batch)
    {
        if (batch is not int bs || captures.All(c => c.BatchSize is null)) return (captures, null);
        var equal = captures.Where(c => c.BatchSize == bs).ToList();
        if (equal.Count > 0) return (equal, null);
        var larger = captures.Where(c => c.BatchSize > bs).ToList();
        if (larger.Count > 0)
        {
            var next = larger.Min(c => c.BatchSize);
            return (larger.Where(c => c.BatchSize == next).ToList(), null);
        }
        return ([], $"the replays run batch size {bs} and no capture trace is for that size or a larger one (they are for {string.Join(", ", captures.Select(c => c.BatchSize).Distinct().OrderBy(b => b))})");
    }

    private sealed record Alignment(GraphCaptureTrace Capture, int[] Map, string Method, int Matched, int GridsEqual, int Cursor);

    /// <summary>Aligns the replay to each candidate; the best by matched kernels, then equal grids; null with a reason on an unresolvable tie.</summary>
    private static (Alignment? Best, string? Why) Choose(Replay replay, IReadOnlyList<GraphCaptureTrace> candidates,
        Dictionary<GraphCaptureTrace, int> cursors, Func<string, string> category)
    {
        var aligned = new List<Alignment>();
        foreach (var capture in candidates)
            if (Align(replay, capture, cursors.GetValueOrDefault(capture), category) is { Matched: > 0 } a) aligned.Add(a);
        if (aligned.Count == 0) return (null, null);
        var best = aligned.OrderByDescending(a => a.Matched).ThenByDescending(a => a.GridsEqual).First();
        var ties = aligned.Where(a => a.Matched == best.Matched && a.GridsEqual == best.GridsEqual
                                      && a.Capture.BatchSize != best.Capture.BatchSize).ToList();
        if (ties.Count > 0)
            return (null, $"capture traces of different batch sizes match them equally ({string.Join(", ", ties.Prepend(best).Select(t => $"{t.Capture.FileName}: batch size {t.Capture.BatchSize?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}"))}) and the trace does not say its batch size; pass the right one with --capture-traces FILE");
        return (best, null);
    }

    /// <summary>Aligns one replay to one capture, starting the search at <paramref name="cursor"/>.</summary>
    private static Alignment? Align(Replay replay, GraphCaptureTrace capture, int cursor, Func<string, string> category)
    {
        var cap = capture.Kernels;
        int n = replay.Kernels.Count, m = cap.Count;
        if (m == 0) return null;
        if (cursor >= m) cursor = 0;
        var names = replay.Kernels.Select(k => k.Name).ToArray();
        if (cap.All(k => k.Name is null))
        {
            if (m != n) return null;
            return Result(capture, replay, Enumerable.Range(0, n).ToArray(), "launch order");
        }
        // sequence: contiguous, at or after the cursor, else anywhere
        foreach (var from in cursor == 0 ? [0] : new[] { cursor, 0 })
            for (var a = from; a + n <= m; a++)
            {
                var ok = true;
                for (var i = 0; i < n && ok; i++) ok = cap[a + i].Name == names[i];
                if (ok) return Result(capture, replay, Enumerable.Range(a, n).ToArray(), "sequence");
            }
        // rotation of a window of the capture
        if (n <= m)
            foreach (var a in Starts(cursor, m - n + 1))
                for (var k = 0; k < n; k++)
                {
                    if (cap[a + k].Name != names[0]) continue;
                    var ok = true;
                    for (var i = 0; i < n && ok; i++) ok = cap[a + (k + i) % n].Name == names[i];
                    if (ok) return Result(capture, replay, Enumerable.Range(0, n).Select(i => a + (k + i) % n).ToArray(), "rotation");
                }
        var streams = replay.Kernels.Select(k => k.Stream).Distinct().Count();
        if (streams > 1 && PerStream(replay, capture, cursor) is { } perStream) return Result(capture, replay, perStream, "per-stream");
        // group by name: k-th of a name to k-th of that name, counted from the cursor
        var map = new int[n];
        Array.Fill(map, -1);
        var usedCap = new bool[m];
        var byName = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        foreach (var j in Starts(cursor, m))
            if (cap[j].Name is { } nm)
            {
                if (!byName.TryGetValue(nm, out var q)) byName[nm] = q = new Queue<int>();
                q.Enqueue(j);
            }
        var matched = 0;
        for (var i = 0; i < n; i++)
            if (byName.TryGetValue(names[i], out var q) && q.Count > 0)
            {
                map[i] = q.Dequeue();
                usedCap[map[i]] = true;
                matched++;
            }
        // fewer than half of the kernels by name: a capture of another graph, not a reordering of this one
        if (2 * matched < n) return null;
        var method = "group-by-name";
        if (matched < n)
        {
            var byCategory = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
            foreach (var j in Starts(cursor, m))
                if (!usedCap[j] && cap[j].Name is { } nm)
                {
                    var c = category(nm);
                    if (c.Length == 0) continue;
                    if (!byCategory.TryGetValue(c, out var q)) byCategory[c] = q = new Queue<int>();
                    q.Enqueue(j);
                }
            var viaCategory = 0;
            for (var i = 0; i < n; i++)
                if (map[i] < 0 && category(names[i]) is { Length: > 0 } c && byCategory.TryGetValue(c, out var q) && q.Count > 0)
                {
                    map[i] = q.Dequeue();
                    viaCategory++;
                }
            if (viaCategory > 0) method = matched == 0 ? "category" : "group-by-name + category";
        }
        return Result(capture, replay, map, method);
    }

    /// <summary>0 … count-1 starting at <paramref name="cursor"/> and wrapping around.</summary>
    private static IEnumerable<int> Starts(int cursor, int count)
    {
        if (count <= 0) yield break;
        var from = cursor < count ? cursor : 0;
        for (var i = 0; i < count; i++) yield return (from + i) % count;
    }

    /// <summary>
    /// Each replayed kernel, in start order, to the earliest unused captured kernel of its name after its stream's
    /// previous partner; all must find one. The search starts at the first captured kernel (at or after the cursor)
    /// named like the replay's first kernel.
    /// </summary>
    private static int[]? PerStream(Replay replay, GraphCaptureTrace capture, int cursor)
    {
        var cap = capture.Kernels;
        var n = replay.Kernels.Count;
        foreach (var start in Starts(cursor, cap.Count))
        {
            if (cap[start].Name != replay.Kernels[0].Name) continue;
            var used = new bool[cap.Count];
            var last = new Dictionary<long, int>();
            var map = new int[n];
            var ok = true;
            for (var i = 0; i < n && ok; i++)
            {
                var s = replay.Kernels[i].Stream ?? -1;
                var j = last.TryGetValue(s, out var p) ? p + 1 : start;
                while (j < cap.Count && (used[j] || cap[j].Name != replay.Kernels[i].Name)) j++;
                if (j >= cap.Count) ok = false;
                else
                {
                    used[j] = true;
                    last[s] = j;
                    map[i] = j;
                }
            }
            if (ok) return map;
        }
        return null;
    }

    private static Alignment Result(GraphCaptureTrace capture, Replay replay, int[] map, string method)
    {
        int matched = 0, grids = 0, lastIdx = -1;
        for (var i = 0; i < map.Length; i++)
        {
            if (map[i] < 0) continue;
            matched++;
            var c = capture.Kernels[map[i]];
            if (c.Grid is not null && c.Grid == replay.Kernels[i].Grid) grids++;
            lastIdx = Math.Max(lastIdx, map[i]);
        }
        var cursor = method is "sequence" or "per-stream" or "rotation" ? lastIdx + 1 : 0;
        return new Alignment(capture, map, method, matched, grids, cursor);
    }

    private static List<GraphCaptureTrace> ReadCompanions(IReadOnlyList<string> files, WarningLog warnings, CancellationToken ct)
    {
        var list = new List<GraphCaptureTrace>();
        foreach (var file in files)
        {
            try
            {
                var trace = GraphCaptureTraceReader.Read(file, ct);
                if (trace.Kernels.Count > 0) list.Add(trace);
            }
            catch (Exception ex) when (ex is TraceFormatException or IOException or UnauthorizedAccessException)
            {
                warnings.Add(WarningCatalog.CaptureTraceUnreadable, null, $"capture trace {file} skipped: {ex.Message}");
            }
        }
        return list;
    }

    /// <summary>The batch size the run's step annotations give (<c>step[DECODE bs=32]</c>, vLLM <c>execute_32_…</c>): the most common; null when none.</summary>
    private static int? ReplayBatch(SqliteConnection connection, SqliteTransaction tx, long runId)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT name FROM annotations WHERE run_id = $run AND (name LIKE '%bs=%' OR name LIKE 'execute\\_%' ESCAPE '\\')";
        cmd.Parameters.AddWithValue("$run", runId);
        var counts = new Dictionary<int, int>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var m = ReplayBatchSize().Match(r.GetString(0));
            if (m.Success && int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var bs))
                counts[bs] = counts.GetValueOrDefault(bs) + 1;
        }
        return counts.Count == 0 ? null : counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
    }

    private sealed record ReplayKernel(long KernelIdx, string Name, string? Grid, string? Block, long? Stream);

    private sealed record Replay(long Device, long Correlation, List<ReplayKernel> Kernels);

    /// <summary>The run's kernels launched by a graph launch and by no cpu_op, grouped by device and launch (in start order), and the launch call's name.</summary>
    private static (List<Replay> Replays, string? Api) FindReplays(SqliteConnection connection, SqliteTransaction tx, long runId)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT k.device, k.correlation, k.kernel_idx, n.name, k.grid, k.block, k.stream
            FROM kernels k JOIN kernel_names n ON n.name_id = k.name_id
            WHERE k.run_id = $run
              AND k.correlation IN (SELECT correlation FROM launches WHERE run_id = $run AND name LIKE '%GraphLaunch%' AND correlation IS NOT NULL)
              AND k.op_name IS NULL
            ORDER BY k.device, k.correlation, k.kernel_idx
            """;
        cmd.Parameters.AddWithValue("$run", runId);
        var replays = new List<Replay>();
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                var device = r.GetInt64(0);
                var correlation = r.GetInt64(1);
                if (replays.Count == 0 || replays[^1].Device != device || replays[^1].Correlation != correlation)
                    replays.Add(new Replay(device, correlation, []));
                replays[^1].Kernels.Add(new ReplayKernel(r.GetInt64(2), r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetInt64(6)));
            }
        if (replays.Count == 0) return (replays, null);
        using var api = connection.CreateCommand();
        api.Transaction = tx;
        api.CommandText = "SELECT name FROM launches WHERE run_id = $run AND name LIKE '%GraphLaunch%' GROUP BY name ORDER BY count(*) DESC, name";
        api.Parameters.AddWithValue("$run", runId);
        var apis = new List<string>();
        using (var r = api.ExecuteReader())
            while (r.Read()) apis.Add(r.GetString(0));
        // replays in the order they ran: by their first kernel
        return (replays.OrderBy(r => r.Device).ThenBy(r => r.Kernels[0].KernelIdx).ToList(), string.Join(" / ", apis));
    }
}
