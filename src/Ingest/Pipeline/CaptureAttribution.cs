using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Reading;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Pipeline;

/// <summary>
/// Gives the kernels of CUDA/HIP graph replays the CPU operator and input shapes they were captured under, from
/// companion capture traces (field-problems.md B26). A replay is the set of kernels whose correlation id is that of a
/// <c>cudaGraphLaunch</c> / <c>hipGraphLaunch</c> call (one launch, many kernels, no launching cpu_op, so
/// <c>kernels.op_name</c> and <c>input_dims</c> are NULL). Its kernels, in start order, are matched to a companion
/// trace's kernel sequence: first by name, grid and block (grids differ between batch sizes, so the
/// <c>bs_8</c> capture is told from the <c>bs_16</c> one), then by name only; a companion sequence equal to the replay
/// is preferred over one that contains it. The matched kernels' op_name and input_dims are written into the run's
/// <c>kernels</c> rows. Every outcome is counted in the warning log: <c>graph_replay_attributed</c>,
/// <c>graph_replay_unattributed</c> ("no per-kernel attribution for graph replays"), <c>capture_trace_unreadable</c>,
/// <c>capture_traces_unused</c>.
/// </summary>
public static class CaptureAttribution
{
    /// <summary>Warning kind: replay kernels that took op_name/input_dims from a capture trace.</summary>
    public const string AttributedKind = "graph_replay_attributed";

    /// <summary>Warning kind: replay kernels left without op_name/input_dims.</summary>
    public const string UnattributedKind = "graph_replay_unattributed";

    /// <summary>What <see cref="Apply"/> did.</summary>
    /// <param name="Replays">Graph replays found (distinct device and launch correlation).</param>
    /// <param name="ReplayKernels">Kernels of those replays.</param>
    /// <param name="Attributed">Replay kernels given an op_name.</param>
    /// <param name="FilesUsed">Companion files at least one replay was matched to.</param>
    public sealed record Outcome(int Replays, long ReplayKernels, long Attributed, IReadOnlyList<string> FilesUsed);

    /// <summary>Finds the graph replays of run <paramref name="runId"/> and attributes them from the companion traces.</summary>
    /// <param name="connection">A database holding the run's kernels (op_name set where a cpu_op launched them), launches and kernel names.</param>
    /// <param name="tx">The open transaction.</param>
    /// <param name="runId">The run.</param>
    /// <param name="tracePath">The main trace (its folder is searched for <c>capture_traces/</c>).</param>
    /// <param name="captureTraces"><c>--capture-traces</c> file or folder; null = auto-detect (<see cref="CaptureTraceFiles"/>).</param>
    /// <param name="warnings">Receives the outcome rows.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="hasGraphLaunches">False when the run is known to hold no graph launch (ingest counts them as the trace streams by): the kernels are then not searched.</param>
    /// <returns>Counts; companions are read only when the trace has graph replays.</returns>
    /// <exception cref="IngestException"><paramref name="captureTraces"/> names neither a file nor a folder.</exception>
    public static Outcome Apply(SqliteConnection connection, SqliteTransaction tx, long runId, string tracePath,
        string? captureTraces, WarningLog warnings, CancellationToken ct = default, bool hasGraphLaunches = true)
    {
        var (files, isExplicit) = CaptureTraceFiles.Resolve(tracePath, captureTraces);
        var replays = hasGraphLaunches ? FindReplays(connection, tx, runId) : [];
        if (replays.Count == 0)
        {
            if (isExplicit)
                warnings.Add("capture_traces_unused", null, $"the trace has no graph replays (cudaGraphLaunch); the {files.Count} capture trace(s) given were not read");
            return new Outcome(0, 0, 0, []);
        }
        var companions = ReadCompanions(files, warnings, ct);
        var index = new SequenceIndex(companions);
        var cache = new Dictionary<string, (CaptureTrace Trace, int Sequence, int Offset)?>(StringComparer.Ordinal);
        var used = new SortedSet<string>(StringComparer.Ordinal);
        long total = 0, attributed = 0;
        using var contexts = new LaunchContexts(connection, tx);
        using var update = connection.CreateCommand();
        update.Transaction = tx;
        update.CommandText = "UPDATE kernel_rows SET context_id = $context WHERE run_id = $run AND device = $device AND kernel_idx = $idx";
        update.Parameters.AddWithValue("$run", runId);
        var context = update.Parameters.Add("$context", SqliteType.Integer);
        var device = update.Parameters.Add("$device", SqliteType.Integer);
        var idx = update.Parameters.Add("$idx", SqliteType.Integer);
        foreach (var replay in replays)
        {
            total += replay.Kernels.Count;
            var full = replay.Kernels.Select(k => index.FullKey(k.Name, k.Grid, k.Block)).ToArray();
            var signature = string.Join(',', full);
            if (!cache.TryGetValue(signature, out var match))
            {
                var names = replay.Kernels.Select(k => index.NameKey(k.Name)).ToArray();
                cache[signature] = match = index.Find(full, names);
            }
            if (match is not { } m) continue;
            used.Add(m.Trace.Path);
            var sequence = m.Trace.Sequences[m.Sequence];
            for (var i = 0; i < replay.Kernels.Count; i++)
            {
                var source = sequence[m.Offset + i];
                if (source.OpName is null) continue;
                var kernel = replay.Kernels[i];
                context.Value = contexts.IdOf(source.OpName, source.InputDims, kernel.Grid, kernel.Block);
                device.Value = replay.Device;
                idx.Value = kernel.KernelIdx;
                update.ExecuteNonQuery();
                attributed++;
            }
        }
        var fileList = string.Join(", ", used.Select(f => Path.GetFileName(f)));
        if (attributed > 0)
            warnings.Add(AttributedKind, null,
                $"{attributed} of {total} graph-replay kernels ({replays.Count} replay(s)) took op_name and input_dims from capture traces matched by kernel-name sequence: {fileList}", attributed);
        if (total > attributed)
        {
            var why = files.Count == 0 && isExplicit
                ? $"--capture-traces {captureTraces} holds no .json or .json.gz capture trace"
                : files.Count == 0
                ? "pass --capture-traces DIR (the capture_traces/ companion files vLLM or SGLang write during graph capture)"
                : $"none of the {companions.Count} capture trace(s) read holds their kernel sequence with launching cpu_ops";
            warnings.Add(UnattributedKind, null,
                $"no per-kernel attribution for graph replays; {total - attributed} of {total} kernels launched by {replays.Count} cudaGraphLaunch replay(s) have no launching cpu_op, so op_name and input_dims are NULL; {why}",
                total - attributed);
        }
        return new Outcome(replays.Count, total, attributed, used.ToList());
    }

    private static List<CaptureTrace> ReadCompanions(IReadOnlyList<string> files, WarningLog warnings, CancellationToken ct)
    {
        var list = new List<CaptureTrace>();
        foreach (var file in files)
        {
            try
            {
                var trace = CaptureTraceReader.Read(file, ct);
                if (trace.KernelCount > 0) list.Add(trace);
            }
            catch (Exception ex) when (ex is TraceFormatException or IOException or UnauthorizedAccessException)
            {
                warnings.Add("capture_trace_unreadable", null, $"capture trace {file} skipped: {ex.Message}");
            }
        }
        return list;
    }

    private sealed record ReplayKernel(long KernelIdx, string Name, string? Grid, string? Block);

    private sealed record Replay(long Device, long Correlation, List<ReplayKernel> Kernels);

    /// <summary>The run's kernels launched by a graph launch and by no cpu_op (op_name NULL), grouped by device and launch.</summary>
    private static List<Replay> FindReplays(SqliteConnection connection, SqliteTransaction tx, long runId)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT k.device, k.correlation, k.kernel_idx, n.name, k.grid, k.block
            FROM kernels k JOIN kernel_names n ON n.name_id = k.name_id
            WHERE k.run_id = $run
              AND k.correlation IN (SELECT correlation FROM launches WHERE run_id = $run AND name LIKE '%GraphLaunch%' AND correlation IS NOT NULL)
              AND k.op_name IS NULL
            ORDER BY k.device, k.correlation, k.kernel_idx
            """;
        cmd.Parameters.AddWithValue("$run", runId);
        var replays = new List<Replay>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var device = r.GetInt64(0);
            var correlation = r.GetInt64(1);
            if (replays.Count == 0 || replays[^1].Device != device || replays[^1].Correlation != correlation)
                replays.Add(new Replay(device, correlation, []));
            replays[^1].Kernels.Add(new ReplayKernel(r.GetInt64(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
        }
        return replays;
    }

    /// <summary>The companions' kernel sequences as integer keys, for exact sequence search.</summary>
    private sealed class SequenceIndex
    {
        private readonly Dictionary<string, int> _full = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
        private readonly List<(CaptureTrace Trace, int Sequence, int[] Full, int[] Names, bool[] HasOp)> _sequences = [];

        public SequenceIndex(IEnumerable<CaptureTrace> companions)
        {
            foreach (var trace in companions)
                for (var s = 0; s < trace.Sequences.Count; s++)
                {
                    var seq = trace.Sequences[s];
                    _sequences.Add((trace, s,
                        seq.Select(k => Id(_full, Full(k.Name, k.Grid, k.Block))).ToArray(),
                        seq.Select(k => Id(_names, k.Name)).ToArray(),
                        seq.Select(k => k.OpName is not null).ToArray()));
                }
        }

        /// <summary>The key of (name, grid, block); -1 when no companion has it.</summary>
        public int FullKey(string name, string? grid, string? block) => _full.GetValueOrDefault(Full(name, grid, block), -1);

        /// <summary>The key of a name; -1 when no companion has it.</summary>
        public int NameKey(string name) => _names.GetValueOrDefault(name, -1);

        /// <summary>
        /// The first match, in this order: whole sequence equal by (name, grid, block); contained by (name, grid,
        /// block); whole sequence equal by name; contained by name. A match must give at least one kernel an op.
        /// </summary>
        public (CaptureTrace Trace, int Sequence, int Offset)? Find(int[] full, int[] names)
        {
            foreach (var byName in new[] { false, true })
            {
                var wanted = byName ? names : full;
                if (wanted.Contains(-1)) continue;
                foreach (var whole in new[] { true, false })
                    foreach (var (trace, sequence, f, n, hasOp) in _sequences)
                    {
                        var keys = byName ? n : f;
                        if (whole)
                        {
                            if (keys.AsSpan().SequenceEqual(wanted) && hasOp.Contains(true)) return (trace, sequence, 0);
                            continue;
                        }
                        var from = 0;
                        while (from + wanted.Length <= keys.Length)
                        {
                            var at = keys.AsSpan(from).IndexOf(wanted);
                            if (at < 0) break;
                            if (Array.IndexOf(hasOp, true, from + at, wanted.Length) >= 0) return (trace, sequence, from + at);
                            from += at + 1;
                        }
                    }
            }
            return null;
        }

        private static string Full(string name, string? grid, string? block) => $"{name}\u0001{grid}\u0001{block}";

        private static int Id(Dictionary<string, int> ids, string key)
        {
            if (!ids.TryGetValue(key, out var id)) ids[key] = id = ids.Count;
            return id;
        }
    }
}
