using System.Runtime.CompilerServices;
using Dapper;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Writing;

/// <summary>
/// Writes a device's segmentation (the <c>passes</c>, <c>layers</c>, <c>pass_part_rows</c>, <c>anchor_candidates</c>
/// and <c>kernel_spans</c> rows) for one run.
/// Used at ingest (into the user's database, or into the group staging database for a file of a group) and by
/// <c>resegment</c> (into the user's database).
/// </summary>
public static class SegmentationRows
{
    /// <summary>The tables <see cref="Write"/> fills (one run's rows of each are parked and copied together).</summary>
    public static readonly IReadOnlyList<string> Tables = ["passes", "layers", "pass_part_rows", "anchor_candidates", KernelSpans.Table];

    /// <summary>
    /// Inserts the pass, layer, part and anchor-candidate rows of <paramref name="result"/>, with each pass's and layer's
    /// range in Perfetto's nanoseconds (<c>perfetto_start_ns</c>, <c>perfetto_end_ns</c>, see <see cref="PerfettoTime"/>),
    /// and its kernels' labels as spans (<see cref="KernelSpans"/>).
    /// </summary>
    /// <param name="connection">Staging (ingest) or user (resegment) database.</param>
    /// <param name="tx">The open transaction.</param>
    /// <param name="runId">Run id to write (0 in staging).</param>
    /// <param name="device">GPU device.</param>
    /// <param name="kernels">The device's kernels in start order (the sequence that was segmented).</param>
    /// <param name="result">Its segmentation.</param>
    /// <param name="kernelIdx">The stored <c>kernel_idx</c> of each kernel of <paramref name="kernels"/> (resegment); null: its position.</param>
    /// <exception cref="SqliteException">A row is refused (disk full, the run's rows already stored).</exception>
    public static void Write(SqliteConnection connection, SqliteTransaction? tx, long runId, int device, KernelSequence kernels,
        SegmentationResult result, long[]? kernelIdx = null)
    {
        KernelSpans.Write(connection, tx, runId, device, result, kernelIdx);
        var (passRanges, layerRanges) = PerfettoRanges(kernels, result);
        connection.Execute("""
            INSERT INTO passes (run_id, device, pass_idx, start_ns, end_ns, wall_us, sum_us, busy_us, idle_us,
                exposed_comm_us, kernel_count, layer_count, is_partial, note, phase, perfetto_start_ns, perfetto_end_ns)
            VALUES ($RunId, $Device, $PassIdx, $StartNs, $EndNs, $WallUs, $SumUs, $BusyUs, $IdleUs,
                $ExposedCommUs, $KernelCount, $LayerCount, $IsPartial, $Note, $Phase, $PerfettoStartNs, $PerfettoEndNs)
            """,
            result.Passes.Select(p => new
            {
                RunId = runId, Device = device, p.PassIdx, p.Totals.StartNs, p.Totals.EndNs, p.Totals.WallUs, p.Totals.SumUs,
                p.Totals.BusyUs, p.Totals.IdleUs, p.Totals.ExposedCommUs, p.Totals.KernelCount, p.LayerCount,
                IsPartial = p.IsPartial ? 1 : 0, p.Note, p.Phase,
                PerfettoStartNs = Range(passRanges, p.PassIdx, p.Totals.StartNs, p.Totals.EndNs).Start,
                PerfettoEndNs = Range(passRanges, p.PassIdx, p.Totals.StartNs, p.Totals.EndNs).End,
            }), tx);
        // One row per layer of every pass (tens of thousands on a large trace): multi-row statements bound through
        // SQLite's own calls (a one-row statement per layer cost 7 us each: 0.15 s for 23 k layers).
        using (var layers = new MultiRowInsert(connection, "layers",
                   ["run_id", "device", "pass_idx", "layer_idx", "layer_type", "compress_ratio", "start_ns", "end_ns", "wall_us",
                    "sum_us", "busy_us", "idle_us", "exposed_comm_us", "kernel_count", "comm_count", "perfetto_start_ns", "perfetto_end_ns"]))
        {
            foreach (var l in result.Layers)
            {
                var t = l.Totals;
                var (perfettoStart, perfettoEnd) = Range(layerRanges, LayerKey(l.PassIdx, l.LayerIdx), t.StartNs, t.EndNs);
                layers.Set(0, runId);
                layers.Set(1, (long)device);
                layers.Set(2, (long)l.PassIdx);
                layers.Set(3, (long)l.LayerIdx);
                layers.Set(4, l.LayerType);
                layers.Set(5, l.CompressRatio);
                layers.Set(6, t.StartNs);
                layers.Set(7, t.EndNs);
                layers.Set(8, t.WallUs);
                layers.Set(9, t.SumUs);
                layers.Set(10, t.BusyUs);
                layers.Set(11, t.IdleUs);
                layers.Set(12, t.ExposedCommUs);
                layers.Set(13, (long)t.KernelCount);
                layers.Set(14, (long)l.CommCount);
                layers.Set(15, perfettoStart);
                layers.Set(16, perfettoEnd);
                layers.Run();
            }
            layers.Flush();
        }
        // One row per part of every pass (as many as layers): multi-row statements too.
        using (var parts = new MultiRowInsert(connection, "pass_part_rows",
                   ["run_id", "device", "pass_idx", "part", "layer_idx", "start_ns", "end_ns", "sum_us", "busy_us", "kernel_count"]))
        {
            foreach (var x in result.Parts)
            {
                parts.Set(0, runId);
                parts.Set(1, (long)device);
                parts.Set(2, (long)x.PassIdx);
                parts.Set(3, x.Part);
                parts.Set(4, (long?)x.LayerIdx);
                parts.Set(5, x.StartNs);
                parts.Set(6, x.EndNs);
                parts.Set(7, x.SumUs);
                parts.Set(8, x.BusyUs);
                parts.Set(9, (long)x.KernelCount);
                parts.Run();
            }
            parts.Flush();
        }
        connection.Execute("""
            INSERT OR REPLACE INTO anchor_candidates (run_id, device, name, occurrences, per_layer, regularity, coverage,
                implied_layers, chosen)
            VALUES ($RunId, $Device, $Name, $Occurrences, $PerLayer, $Regularity, $Coverage, $ImpliedLayers, $Chosen)
            """,
            result.Candidates.Select(c => new
            {
                RunId = runId, Device = device, c.Name, c.Occurrences, c.PerLayer, c.Regularity, c.Coverage,
                c.ImpliedLayers, Chosen = c.Chosen ? 1 : 0,
            }), tx);
    }

    /// <summary>
    /// Perfetto's range of every pass (kernels with that <c>pass_idx</c>) and every layer (kernels with role
    /// <c>layer</c> and that pass and layer): start = least <c>Ns(ts)</c>, end = greatest <c>Ns(ts) + Ns(dur)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private static (Dictionary<long, (long Start, long End)> Passes, Dictionary<long, (long Start, long End)> Layers) PerfettoRanges(
        KernelSequence kernels, SegmentationResult result)
    {
        var passes = new RangeSet();
        var layers = new RangeSet();
        var n = Math.Min(kernels.Count, result.PassIdx.Length);
        for (var i = 0; i < n; i++)
        {
            var pass = result.PassIdx[i];
            if (pass < 0) continue;
            var start = PerfettoTime.Ns(kernels.StartNs[i]);
            var end = start + PerfettoTime.Ns(kernels.DurNs[i]);
            passes.Extend(pass, start, end);
            if (result.Role[i] == KernelRole.Layer && result.LayerIdx[i] >= 0)
                layers.Extend(LayerKey(pass, result.LayerIdx[i]), start, end);
        }
        return (passes.Close(), layers.Close());
    }

    private static long LayerKey(int pass, int layer) => ((long)pass << 32) | (uint)layer;

    /// <summary>
    /// Start and end by key, extended one kernel at a time. Consecutive kernels mostly share a pass and a layer, so
    /// the current key's range is held aside and merged into the dictionary only when the key changes.
    /// </summary>
    private sealed class RangeSet
    {
        private readonly Dictionary<long, (long Start, long End)> _ranges = [];
        private long _key = long.MinValue;
        private long _start, _end;

        public void Extend(long key, long start, long end)
        {
            if (key == _key)
            {
                if (start < _start) _start = start;
                if (end > _end) _end = end;
                return;
            }
            Flush();
            (_key, _start, _end) = (key, start, end);
        }

        public Dictionary<long, (long Start, long End)> Close()
        {
            Flush();
            _key = long.MinValue;
            return _ranges;
        }

        private void Flush()
        {
            if (_key == long.MinValue) return;
            _ranges[_key] = _ranges.TryGetValue(_key, out var r) ? (Math.Min(r.Start, _start), Math.Max(r.End, _end)) : (_start, _end);
        }
    }

    private static (long Start, long End) Range(Dictionary<long, (long Start, long End)> ranges, long key, long startNs, long endNs) =>
        ranges.TryGetValue(key, out var r) ? r : (PerfettoTime.Ns(startNs), PerfettoTime.Ns(endNs));

    /// <summary>Inserts the <c>category_rules</c> rows a run is classified with: the profile's rules, then the universal ones, in evaluation order.</summary>
    public static void WriteCategoryRules(SqliteConnection connection, SqliteTransaction? tx, long runId, ModelProfile profile) =>
        connection.Execute("INSERT INTO category_rules (run_id, profile, rule_order, pattern, category, label, category_group) VALUES ($runId, $profile, $order, $Pattern, $Category, $Label, $Group)",
            ProfileCatalog.EffectiveRules(profile).Select((r, i) => new { runId, profile = profile.Name, order = i, r.Pattern, r.Category, r.Label, r.Group }), tx);

    /// <summary>Deletes a run's segmentation rows (before a resegment writes new ones).</summary>
    public static void Delete(SqliteConnection connection, SqliteTransaction? tx, long runId)
    {
        foreach (var table in Tables)
            connection.Execute($"DELETE FROM {table} WHERE run_id = $runId", new { runId }, tx);
    }
}
