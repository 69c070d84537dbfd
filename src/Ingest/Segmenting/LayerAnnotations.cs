using System.Text.RegularExpressions;
using Dapper;
using LlmPipeline.Ingest.Launches;
using LlmPipeline.Ingest.Writing;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Segmenting;

/// <summary>
/// Layer boundaries from annotation ranges that name layers, for traces without module scopes: a
/// <c>gpu_user_annotation</c> range (on the GPU timeline) contains the kernels that start inside it; a
/// <c>user_annotation</c> range (CPU side, e.g. <c>record_function("layers.5")</c>) contains the kernels whose launch
/// starts inside it. Each such kernel without a <c>layer_module</c> gets the innermost range's name as its
/// <c>layer_module</c>, which segmentation uses like a decoder-layer module scope.
/// </summary>
public static partial class LayerAnnotations
{
    /// <summary>
    /// A name that names one layer by number: <c>layer_5</c>, <c>layers.5</c>, <c>model.layers.5</c>, <c>Layer 5</c>,
    /// <c>decoder_layer[5]</c>, <c>DecoderLayer_5</c> (ASCII case ignored); not <c>layer_norm</c> and the like.
    /// </summary>
    [GeneratedRegex(@"(?:^|[^a-z])(?:decoder_?)?layers?[._ \[-]?(\d+)\]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex LayerName();

    /// <summary>Gives run <paramref name="runId"/>'s kernels without a layer module the layer their annotation names.</summary>
    /// <param name="connection">The database holding the run's kernels, launches and annotations.</param>
    /// <param name="tx">The open transaction.</param>
    /// <param name="runId">The run.</param>
    /// <returns>Kernels given a layer from an annotation (0 when no annotation names a layer).</returns>
    /// <exception cref="SqliteException">The database cannot be read or written.</exception>
    public static long Apply(SqliteConnection connection, SqliteTransaction tx, long runId)
    {
        var ranges = connection.Query<(string Cat, string Name, long Ts, long Dur)>(
                "SELECT cat, name, ts_ns, dur_ns FROM annotations WHERE run_id = $runId AND dur_ns > 0 AND cat IN ('gpu_user_annotation', 'user_annotation')",
                new { runId }, tx)
            .Where(r => LayerName().IsMatch(r.Name)).ToList();
        if (ranges.Count == 0) return 0;
        var kernels = connection.Query<(long Device, long Idx, long Ts, long? LaunchTs, string? Op, string? Dims, string? Grid, string? Block, string? Types, string? Module)>("""
            SELECT k.device, k.kernel_idx, k.ts_ns, l.ts_ns, k.op_name, k.input_dims, k.grid, k.block, k.input_types, k.module
            FROM kernels AS k
            LEFT JOIN (SELECT correlation, min(ts_ns) AS ts_ns FROM launches WHERE run_id = $runId AND correlation IS NOT NULL
                       GROUP BY correlation) AS l ON l.correlation = k.correlation
            WHERE k.run_id = $runId AND k.layer_module IS NULL
            """, new { runId }, tx).ToList();
        using var contexts = new LaunchContexts(connection, tx);
        using var update = new KernelContextUpdate(connection, tx, runId);
        long given = 0;
        var gpu = ranges.Where(r => r.Cat == "gpu_user_annotation").OrderBy(r => r.Ts).ToArray();
        var cpu = ranges.Where(r => r.Cat != "gpu_user_annotation").OrderBy(r => r.Ts).ToArray();
        foreach (var k in kernels)
        {
            // GPU ranges hold the kernels that start inside them, CPU ranges the kernels launched inside them.
            var layer = Innermost(gpu, k.Ts) ?? (k.LaunchTs is long launch ? Innermost(cpu, launch) : null);
            if (layer is null) continue;
            update.Run(k.Device, k.Idx, contexts.IdOf(k.Op, k.Dims, k.Grid, k.Block, k.Types, k.Module, layer));
            given++;
        }
        return given;
    }

    /// <summary>
    /// The name of the shortest range (sorted by start) that holds time <paramref name="t"/>, looking back from the last
    /// range that starts at or before it over at most 16 ranges (layer ranges nest at most a few deep); null when none.
    /// </summary>
    private static string? Innermost((string Cat, string Name, long Ts, long Dur)[] sorted, long t)
    {
        var lo = 0;
        var hi = sorted.Length - 1;
        var last = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid].Ts <= t) { last = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        string? name = null;
        var shortest = long.MaxValue;
        for (var i = last; i >= 0 && i > last - 16; i--)
        {
            var r = sorted[i];
            if (t < r.Ts + r.Dur && r.Dur < shortest) { name = r.Name; shortest = r.Dur; }
        }
        return name;
    }
}
