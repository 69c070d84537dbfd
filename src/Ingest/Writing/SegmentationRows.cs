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
        // Multi-row statements for every table below (a one-row statement per layer cost 7 us each: 0.15 s for 23 k
        // layers; Dapper's per-row parameters 50 us a pass).
        using (var passes = new MultiRowInsert(connection, "passes",
                   ["run_id", "device", "pass_idx", "start_ns", "end_ns", "wall_us", "sum_us", "busy_us", "idle_us", "exposed_comm_us",
                    "kernel_count", "layer_count", "is_partial", "note", "phase", "perfetto_start_ns", "perfetto_end_ns"]))
        {
            foreach (var p in result.Passes)
            {
                var t = p.Totals;
                var (perfettoStart, perfettoEnd) = Range(passRanges, p.PassIdx, t.StartNs, t.EndNs);
                passes.Set(0, runId);
                passes.Set(1, (long)device);
                passes.Set(2, (long)p.PassIdx);
                passes.Set(3, t.StartNs);
                passes.Set(4, t.EndNs);
                passes.Set(5, t.WallUs);
                passes.Set(6, t.SumUs);
                passes.Set(7, t.BusyUs);
                passes.Set(8, t.IdleUs);
                passes.Set(9, t.ExposedCommUs);
                passes.Set(10, (long)t.KernelCount);
                passes.Set(11, (long)p.LayerCount);
                passes.Set(12, p.IsPartial ? 1L : 0L);
                passes.Set(13, p.Note);
                passes.Set(14, p.Phase);
                passes.Set(15, perfettoStart);
                passes.Set(16, perfettoEnd);
                passes.Run();
            }
            passes.Flush();
        }
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
        var passes = new Dictionary<long, (long Start, long End)>();
        var layers = new Dictionary<long, (long Start, long End)>();
        var n = Math.Min(kernels.Count, result.PassIdx.Length);
        // Runs of consecutive kernels of one pass and layer (most of a pass): each run's range is found in locals and
        // merged into the dictionaries once.
        for (var i = 0; i < n;)
        {
            var pass = result.PassIdx[i];
            var layer = LayerOf(result, i);
            long start = long.MaxValue, end = long.MinValue;
            var j = i;
            for (; j < n && result.PassIdx[j] == pass && LayerOf(result, j) == layer; j++)
            {
                if (pass < 0) continue;
                var s = PerfettoTime.Ns(kernels.StartNs[j]);
                var e = s + PerfettoTime.Ns(kernels.DurNs[j]);
                if (s < start) start = s;
                if (e > end) end = e;
            }
            if (pass >= 0)
            {
                Extend(passes, pass, start, end);
                if (layer >= 0) Extend(layers, LayerKey(pass, layer), start, end);
            }
            i = j;
        }
        return (passes, layers);
    }

    /// <summary>The layer a kernel's Perfetto range counts for: its layer when its role is <c>layer</c>, else -1.</summary>
    private static int LayerOf(SegmentationResult result, int i) =>
        result.Role[i] == KernelRole.Layer && result.LayerIdx[i] >= 0 ? result.LayerIdx[i] : -1;

    private static long LayerKey(int pass, int layer) => ((long)pass << 32) | (uint)layer;

    private static void Extend(Dictionary<long, (long Start, long End)> ranges, long key, long start, long end) =>
        ranges[key] = ranges.TryGetValue(key, out var r) ? (Math.Min(r.Start, start), Math.Max(r.End, end)) : (start, end);

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
