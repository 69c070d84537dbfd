using Dapper;
using LlmPipeline.Analysis.Names;
using LlmPipeline.Analysis.Phases;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.GraphReplays;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Phases;

/// <summary>
/// Sets <c>passes.phase</c>, <c>phase_source</c>, <c>batch_size</c>, <c>token_count</c>, <c>is_outlier</c> and
/// <c>outlier_reason</c> of one run from its stored kernels, launches and annotations (issue 4; docs/messy-traces.md, B30,
/// B31, B35). Runs after segmentation: at ingest inside the transaction that stores the run, and after a resegment.
/// </summary>
/// <remarks>
/// Evidence, in order: (1) CPU step annotations (<c>user_annotation</c>) tied to kernels through the launch
/// correlation (kernel correlation → runtime launch → launch ts inside the annotation's [ts, ts + dur]); the outermost
/// phase-bearing annotation wins (B30: nested markers never count twice); one <c>cudaGraphLaunch</c> correlation
/// covers all kernels of its replay. (2) GPU-side <c>gpu_user_annotation</c> ranges containing the kernel start.
/// Each pass takes the annotation that covers most of its kernels. (3) Attention-kernel signatures
/// (<see cref="PhaseRules.KernelPhase"/>): decode and prefill kernels in one pass make it mixed. (4) GEMM size
/// (<see cref="GemmPhaseRule"/>): the token count M of the pass's first GEMM from its cpu_op's Input Dims, compared
/// with the run's smallest per-pass M; stored as <c>phase_source = 'gemm M=…'</c> with <c>token_count = M</c>.
/// </remarks>
public static class PhaseAssignment
{
    /// <summary>Category keys of the <c>gemm</c> group (docs/profiles.md, 'Category keys and groups'), used when a run's category rules do not list them.</summary>
    private static readonly string[] GemmCategoryKeys = ["gemm", "gemm_fp8", "gemm_bf16", "gemm_f32"];

    /// <summary>
    /// The kernels of a run still held in memory at ingest (its passes' kernels in kernel_idx order per device), read
    /// instead of the stored <c>kernels</c> rows: the same votes without a scan of the table.
    /// </summary>
    /// <param name="Names">Kernel names by <c>NameId</c>.</param>
    /// <param name="Kernels">Each kernel with a pass: device, pass_idx, correlation id (null when none), ts in ns, name id.</param>
    public sealed record KernelsInMemory(IReadOnlyList<string> Names, IEnumerable<(long Device, long Pass, long? Correlation, long TsNs, int NameId)> Kernels);

    /// <summary>Assigns phases and outlier flags to every pass of <paramref name="runId"/>.</summary>
    /// <param name="connection">Open connection holding the run's passes, launches and annotations, and its kernels unless <paramref name="inMemory"/> gives them.</param>
    /// <param name="tx">The transaction to write in, or null.</param>
    /// <param name="runId">The run.</param>
    /// <param name="rules">Phase rules; null = <see cref="PhaseRules.Default"/>.</param>
    /// <param name="inMemory">The run's kernels as ingest holds them, or null to read the stored kernels (resegment).</param>
    /// <param name="inputs">The run's markers and launch times, read beforehand (<see cref="ReadInputs"/>); null: read here.</param>
    public static PhaseAssignmentResult Apply(SqliteConnection connection, SqliteTransaction? tx, long runId, PhaseRules? rules = null,
        KernelsInMemory? inMemory = null, Inputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        rules ??= PhaseRules.Default;
        var (cpu, gpu, launchTs) = inputs ?? ReadInputs(connection, tx, runId, rules);
        var votes = new Dictionary<(long Device, long Pass), PassEvidence>();
        foreach (var key in connection.Query<(long, long)>(
                     "SELECT device, pass_idx FROM passes WHERE run_id = @runId ORDER BY device, pass_idx", new { runId }, tx))
            votes[key] = new PassEvidence();
        // Kernels arrive pass by pass: the last pass's evidence is tried before the dictionary.
        (long Device, long Pass) lastKey = (long.MinValue, long.MinValue);
        PassEvidence? last = null;
        void Count(long device, long pass, long? corr, long ts, (string Name, string Phase)? named, int kernels)
        {
            PassEvidence? ev;
            if (last is not null && lastKey == (device, pass)) ev = last;
            else
            {
                if (!votes.TryGetValue((device, pass), out ev)) votes[(device, pass)] = ev = new PassEvidence();
                (lastKey, last) = ((device, pass), ev);
            }
            if (cpu.Count + gpu.Count > 0)
            {
                var marker = -1;
                if (corr is long c && launchTs.TryGet(c, out var launch)) marker = cpu.Find(launch);
                if (marker < 0 && gpu.Find(ts) is var g and >= 0) marker = cpu.Count + g;
                if (marker >= 0) ev.Markers[marker] = ev.Markers.GetValueOrDefault(marker) + kernels;
            }
            if (named is { } n) ev.Vote(n.Phase, n.Name, kernels);
        }

        if (inMemory is not null)
        {
            var phaseOf = inMemory.Names.Select(n => rules.KernelPhase(n) is { } phase ? (n, phase) : ((string, string)?)null).ToArray();
            foreach (var (device, pass, corr, ts, nameId) in inMemory.Kernels) Count(device, pass, corr, ts, phaseOf[nameId], 1);
        }
        else
        {
            // Only names with an attention-kernel phase vote; checking every name of the database is cheaper than
            // finding the run's distinct names in its kernels.
            var names = connection.Query<(long, string)>("SELECT name_id, name FROM kernel_names", transaction: tx)
                .Select(x => (Id: x.Item1, Name: x.Item2, Phase: rules.KernelPhase(x.Item2)))
                .Where(x => x.Phase is not null)
                .ToDictionary(x => x.Id, x => (x.Name, x.Phase!));
            if (cpu.Count + gpu.Count > 0)
            {
                foreach (var (device, pass, corr, ts, nameId) in connection.Query<(long, long, long?, long, long)>(
                             "SELECT device, pass_idx, correlation, ts_ns, name_id FROM _kernel_labels WHERE run_id = @runId AND pass_idx IS NOT NULL ORDER BY device, kernel_idx",
                             new { runId }, tx, buffered: false))
                    Count(device, pass, corr, ts, names.TryGetValue(nameId, out var n) ? n : null, 1);
            }
            else if (names.Count > 0)
            {
                // No step markers: only the kernel names vote, so let SQLite count them per pass.
                foreach (var (device, pass, nameId, count, _) in connection.Query<(long, long, long, int, long)>(
                             """
                             SELECT device, pass_idx, name_id, COUNT(*), MIN(kernel_idx) AS first_idx FROM _kernel_labels
                             WHERE run_id = @runId AND pass_idx IS NOT NULL AND name_id IN @ids
                             GROUP BY device, pass_idx, name_id ORDER BY device, pass_idx, first_idx
                             """, new { runId, ids = names.Keys.ToArray() }, tx))
                    Count(device, pass, null, 0, names[nameId], count);
            }
        }

        int byAnnotation = 0, byKernels = 0, byGemm = 0, unknown = 0;
        var decided = new List<(long Device, long Pass, string? Phase, string? Source, int? Bs, long? Toks)>();
        foreach (var ((device, pass), ev) in votes)
        {
            string? phase = null, source = null;
            int? bs = null;
            long? toks = null;
            if (ev.Markers.Count > 0)
            {
                var best = ev.Markers.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
                var m = best < cpu.Count ? cpu.Markers[best] : gpu.Markers[best - cpu.Count];
                phase = m.Marker.Phase;
                bs = m.Marker.BatchSize;
                toks = m.Marker.TokenCount;
                source = AnnotationSource(m.Cat, m.Name);
                byAnnotation++;
            }
            else if (ev.DecodeKernels > 0 || ev.PrefillKernels > 0)
            {
                phase = ev.DecodeKernels > 0 && ev.PrefillKernels > 0 ? PhaseNames.Mixed : ev.DecodeKernels > 0 ? PhaseNames.Decode : PhaseNames.Prefill;
                source = phase == PhaseNames.Mixed
                    ? $"kernels '{NameSimplifier.Simplify(ev.DecodeName!)}' (decode) and '{NameSimplifier.Simplify(ev.PrefillName!)}' (prefill)"
                    : $"kernel '{NameSimplifier.Simplify((ev.DecodeName ?? ev.PrefillName)!)}'";
                byKernels++;
            }
            decided.Add((device, pass, phase, source, bs, toks));
        }
        if (decided.Any(d => d.Phase is null))
        {
            var gemm = GemmTokens(connection, tx, runId);
            if (gemm.Count > 0)
            {
                var (min, max) = (gemm.Values.Min(g => g.M), gemm.Values.Max(g => g.M));
                for (var i = 0; i < decided.Count; i++)
                {
                    var d = decided[i];
                    if (d.Phase is not null || !gemm.TryGetValue((d.Device, d.Pass), out var g)) continue;
                    var phase = GemmPhaseRule.Classify(g.M, min, max);
                    if (phase is null) continue;
                    var op = g.Op is null ? "" : $"{g.Op}, ";
                    decided[i] = d with
                    {
                        Phase = phase,
                        Source = $"gemm M={g.M} ({op}smallest M of the run {min})",
                        Toks = d.Toks ?? g.M,
                    };
                    byGemm++;
                }
            }
        }
        unknown = decided.Count(d => d.Phase is null);
        // One command for every pass (Dapper runs a list of parameter sets on one command, its statement prepared once).
        connection.Execute("""
            UPDATE passes SET phase = @Phase, phase_source = @Source, batch_size = @Bs, token_count = @Toks
            WHERE run_id = @runId AND device = @Device AND pass_idx = @Pass
            """, decided.Select(d => new { d.Phase, d.Source, d.Bs, d.Toks, runId, d.Device, d.Pass }), tx);
        Renote(connection, tx, runId);
        PassAttentionLengths.Write(connection, tx, runId);
        var outliers = FlagOutliers(connection, tx, runId);
        return new PhaseAssignmentResult(byAnnotation, byKernels, unknown, outliers, byGemm);
    }

    /// <summary><c>passes.phase_source</c> of a pass whose phase an annotation set: its category, then its name in single
    /// quotes, e.g. <c>user_annotation 'step[DECODE bs=32]'</c> (<see cref="AnnotationOf"/> reads it back).</summary>
    /// <param name="cat">The annotation's category (user_annotation, gpu_user_annotation).</param>
    /// <param name="name">The annotation's name.</param>
    public static string AnnotationSource(string cat, string name) => $"{cat} '{name}'";

    /// <summary>The annotation's name in a <c>passes.phase_source</c> written by <see cref="AnnotationSource"/>; null
    /// when the phase came from kernels, GEMM sizes or nothing.</summary>
    /// <param name="phaseSource">The pass's phase_source.</param>
    public static string? AnnotationOf(string? phaseSource)
    {
        if (phaseSource is null || !phaseSource.EndsWith('\'')) return null;
        var quote = phaseSource.IndexOf(" '", StringComparison.Ordinal);
        if (quote <= 0 || !phaseSource[..quote].EndsWith("annotation", StringComparison.OrdinalIgnoreCase)) return null;
        return phaseSource[(quote + 2)..^1];
    }

    /// <summary>
    /// Per (device, pass): the token count M of the first GEMM kernel (lowest kernel_idx among kernels of the
    /// <c>gemm</c> category group that have Input Dims) and its cpu_op name (<see cref="GemmPhaseRule.TokenCount"/>);
    /// passes without such a kernel, or whose dims give no M, are absent.
    /// </summary>
    private static Dictionary<(long, long), (long M, string? Op)> GemmTokens(SqliteConnection connection, SqliteTransaction? tx, long runId)
    {
        var keys = connection.Query<string>(
            "SELECT DISTINCT category FROM category_rules WHERE run_id = @runId AND category_group = 'gemm'", new { runId }, tx)
            .Concat(GemmCategoryKeys).Distinct(StringComparer.Ordinal).ToArray();
        var result = new Dictionary<(long, long), (long, string?)>();
        // SQLite returns the bare columns of the row that holds MIN(kernel_idx).
        foreach (var (device, pass, text, name, _) in connection.Query<(long, long, string, string?, long)>(
                     """
                     SELECT k.device, k.pass_idx, k.input_dims AS dims, k.op_name AS op, MIN(k.kernel_idx)
                     FROM kernels AS k
                     WHERE k.run_id = @runId AND k.pass_idx IS NOT NULL AND k.category IN @keys AND k.input_dims IS NOT NULL
                     GROUP BY k.device, k.pass_idx
                     """, new { runId, keys }, tx))
        {
            if (GemmPhaseRule.TokenCount(text) is long m) result[(device, pass)] = (m, name);
        }
        return result;
    }

    /// <summary>
    /// Writes the notes of every stored run again with this build's rule (<see cref="PassNotes.Compute"/> per phase),
    /// from the stored passes, layers and phases, in <paramref name="tx"/>: the schema 9 upgrade of older files.
    /// </summary>
    internal static void RenoteStoredRuns(SqliteConnection connection, SqliteTransaction? tx)
    {
        foreach (var runId in connection.Query<long>("SELECT run_id FROM runs ORDER BY run_id", transaction: tx).ToList())
            Renote(connection, tx, runId);
    }

    /// <summary>
    /// Writes every pass's note again now that phases are known (<see cref="PassNotes.Compute"/>: each pass against the
    /// passes of its own phase; idle steps get no note and are skipped, so an idle step never makes, or breaks, a
    /// steady-state window). Segmentation noted the passes before phases were assigned, as if they were one phase.
    /// </summary>
    private static void Renote(SqliteConnection connection, SqliteTransaction? tx, long runId)
    {
        var rows = connection.Query<(long Device, long Pass, long Partial, string? Phase, double WallUs, double? Layer0WallUs)>(
            """
            SELECT p.device, p.pass_idx, p.is_partial, p.phase, p.wall_us, l0.wall_us
            FROM passes AS p
            LEFT JOIN layers AS l0 ON l0.run_id = p.run_id AND l0.device = p.device AND l0.pass_idx = p.pass_idx AND l0.layer_idx = 0
            WHERE p.run_id = @runId ORDER BY p.device, p.pass_idx
            """, new { runId }, tx).ToList();
        foreach (var device in rows.GroupBy(r => r.Device))
        {
            var list = device.ToList();
            var passes = list.Select(r => new PassSummary((int)r.Pass, new KernelTotals(0, 0, r.WallUs, 0, 0, 0, 0, 0), 0, r.Partial != 0, null, r.Phase)).ToList();
            var notes = PassNotes.Compute(passes, list.Select(r => r.Layer0WallUs).ToList());
            connection.Execute("UPDATE passes SET note = @note WHERE run_id = @runId AND device = @device AND pass_idx = @pass",
                list.Select((r, i) => new { note = notes[i], runId, device = device.Key, pass = r.Pass }), tx);
        }
    }

    private static int FlagOutliers(SqliteConnection connection, SqliteTransaction? tx, long runId)
    {
        var flagged = 0;
        var rows = connection.Query<(long Device, long Pass, double Wall, string? Phase, long Partial)>(
            "SELECT device, pass_idx, wall_us, phase, is_partial FROM passes WHERE run_id = @runId ORDER BY device, pass_idx",
            new { runId }, tx).ToList();
        foreach (var device in rows.GroupBy(r => r.Device))
        {
            var list = device.ToList();
            var verdicts = OutlierDetector.Judge(list.Select(r => r.Wall).ToArray(), list.Select(r => r.Phase).ToArray(),
                list.Select(r => r.Partial != 0).ToArray());
            flagged += verdicts.Count(v => v.IsOutlier);
            connection.Execute(
                "UPDATE passes SET is_outlier = @o, outlier_reason = @reason WHERE run_id = @runId AND device = @device AND pass_idx = @pass",
                list.Select((r, i) => new { o = verdicts[i].IsOutlier ? 1 : 0, reason = verdicts[i].Reason, runId, device = device.Key, pass = r.Pass }), tx);
        }
        return flagged;
    }

    /// <summary>
    /// What <see cref="Apply"/> reads of a run that neither segmentation nor phase assignment changes: its step markers
    /// (annotations that the phase rules parse) and, when CPU-side markers exist, each launch correlation's
    /// first launch time. A resegment reads them on another connection while it segments.
    /// </summary>
    public sealed class Inputs
    {
        internal Inputs(MarkerIndex cpu, MarkerIndex gpu, LaunchTimes launchTs) => (Cpu, Gpu, LaunchTs) = (cpu, gpu, launchTs);

        /// <summary>CPU-side markers (a kernel counts by its launch time).</summary>
        internal MarkerIndex Cpu { get; }

        /// <summary>GPU-side markers (a kernel counts by its start).</summary>
        internal MarkerIndex Gpu { get; }

        /// <summary>First launch ts (ns) by correlation id; none without CPU-side markers.</summary>
        internal LaunchTimes LaunchTs { get; }

        internal void Deconstruct(out MarkerIndex cpu, out MarkerIndex gpu, out LaunchTimes launchTs) =>
            (cpu, gpu, launchTs) = (Cpu, Gpu, LaunchTs);
    }

    /// <summary>Reads <see cref="Inputs"/> of run <paramref name="runId"/>.</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public static Inputs ReadInputs(SqliteConnection connection, SqliteTransaction? tx, long runId, PhaseRules? rules)
    {
        var (cpu, gpu) = LoadMarkers(connection, tx, runId, rules ?? PhaseRules.Default);
        return new Inputs(cpu, gpu, cpu.Count > 0 ? LaunchTimes.Read(connection, tx, runId) : LaunchTimes.None);
    }

    private static (MarkerIndex Cpu, MarkerIndex Gpu) LoadMarkers(SqliteConnection connection, SqliteTransaction? tx, long runId, PhaseRules rules)
    {
        var parsed = new Dictionary<string, StepMarker?>(StringComparer.Ordinal);
        var cpu = new List<PhaseMarker>();
        var gpu = new List<PhaseMarker>();
        foreach (var (cat, name, ts, dur) in connection.Query<(string, string, long, long)>(
                     "SELECT cat, name, ts_ns, dur_ns FROM annotations WHERE run_id = @runId AND dur_ns IS NOT NULL AND dur_ns > 0",
                     new { runId }, tx))
        {
            if (!parsed.TryGetValue(name, out var marker)) parsed[name] = marker = rules.ParseMarker(name);
            if (marker?.Phase is null) continue;
            var isGpu = cat.Equals("gpu_user_annotation", StringComparison.OrdinalIgnoreCase);
            (isGpu ? gpu : cpu).Add(new PhaseMarker(cat, name, ts, ts + dur, marker));
        }
        return (new MarkerIndex(cpu), new MarkerIndex(gpu));
    }

    private sealed class PassEvidence
    {
        public Dictionary<int, int> Markers { get; } = [];
        public int DecodeKernels { get; set; }
        public int PrefillKernels { get; set; }
        public string? DecodeName { get; set; }
        public string? PrefillName { get; set; }

        /// <summary>Counts <paramref name="count"/> kernels of <paramref name="phase"/>; the first name seen names it.</summary>
        public void Vote(string phase, string name, int count)
        {
            if (phase == PhaseNames.Decode) { DecodeKernels += count; DecodeName ??= name; }
            else { PrefillKernels += count; PrefillName ??= name; }
        }
    }

    internal sealed record PhaseMarker(string Cat, string Name, long StartNs, long EndNs, StepMarker Marker);

    /// <summary>The outermost phase markers (nested ones dropped), sorted by start, with a prefix maximum of ends.</summary>
    internal sealed class MarkerIndex
    {
        private readonly long[] _start;
        private readonly long[] _end;
        private readonly long[] _maxEnd;

        public MarkerIndex(List<PhaseMarker> all)
        {
            var sorted = all.OrderBy(m => m.StartNs).ThenByDescending(m => m.EndNs).ToList();
            var kept = new List<PhaseMarker>();
            var maxEnd = long.MinValue;
            foreach (var m in sorted)
            {
                if (m.EndNs <= maxEnd) continue; // nested in an earlier marker: the outer one wins
                kept.Add(m);
                maxEnd = m.EndNs;
            }
            Markers = kept;
            _start = kept.Select(m => m.StartNs).ToArray();
            _end = kept.Select(m => m.EndNs).ToArray();
            _maxEnd = new long[kept.Count];
            for (var i = 0; i < kept.Count; i++) _maxEnd[i] = Math.Max(i > 0 ? _maxEnd[i - 1] : long.MinValue, _end[i]);
        }

        public List<PhaseMarker> Markers { get; }

        public int Count => Markers.Count;

        /// <summary>The outermost (earliest-starting) marker containing <paramref name="t"/>, or -1.</summary>
        public int Find(long t)
        {
            if (_start.Length == 0) return -1;
            var i = Array.BinarySearch(_start, t);
            if (i < 0) i = ~i - 1;
            else while (i + 1 < _start.Length && _start[i + 1] == t) i++;
            var found = -1;
            for (; i >= 0 && _maxEnd[i] >= t; i--)
                if (_start[i] <= t && _end[i] >= t) found = i;
            return found;
        }
    }
}
