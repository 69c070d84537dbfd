using System.Runtime.CompilerServices;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Writing;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LlmPipeline.Ingest.Resegment;

/// <summary>
/// Compares the labels stored on a run's kernels (<c>category</c>, <c>pass_idx</c>, <c>layer_idx</c>,
/// <c>block_idx</c>, <c>half</c>, <c>role</c>) with a new segmentation and rewrites only the kernels whose labels
/// changed (none when a resegment keeps the options). The stored rows are read once, in place through SQLite's own calls
/// (<see cref="SqliteNative.IsText"/>): no string per kernel.
/// </summary>
internal static class StoredLabels
{
    /// <summary>
    /// Updates the kernels of run <paramref name="runId"/> whose stored labels differ from <paramref name="results"/>.
    /// </summary>
    /// <param name="c">The user's database, inside <paramref name="tx"/>.</param>
    /// <param name="tx">The resegment's transaction.</param>
    /// <param name="runId">The run.</param>
    /// <param name="devices">The run's kernels as <see cref="StoredKernels.Read"/> read them (device order).</param>
    /// <param name="results">The new segmentation of each device, in the same order.</param>
    /// <param name="categoryOfName">The new category by run-local name id.</param>
    /// <returns>How many kernels changed category.</returns>
    /// <exception cref="SqliteException">The database cannot be read or written.</exception>
    public static long Rewrite(SqliteConnection c, SqliteTransaction tx, long runId, IReadOnlyList<StoredDevice> devices,
        IReadOnlyList<SegmentationResult> results, IReadOnlyList<string> categoryOfName)
    {
        var categories = categoryOfName.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        var (changed, categoriesChanged) = Compare(c, runId, devices, results, categories);
        using var update = new KernelLabelUpdate(c, tx, runId);
        foreach (var (d, i) in changed)
        {
            var (device, r) = (devices[d], results[d]);
            update.Run(device.Device, device.KernelIdx[i], categoryOfName[device.NameId[i]], Id(r.PassIdx[i]), Id(r.LayerIdx[i]),
                Id(r.BlockIdx[i]), HalfLabel(r, i), r.Role[i].ToSql());
        }
        return categoriesChanged;
    }

    /// <summary>The kernels (device index, position) whose stored labels differ, and how many of them changed category.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private static (List<(int Device, int Index)> Changed, long CategoriesChanged) Compare(SqliteConnection c, long runId,
        IReadOnlyList<StoredDevice> devices, IReadOnlyList<SegmentationResult> results, byte[][] categories)
    {
        var db = c.Handle!;
        var changed = new List<(int, int)>();
        long categoriesChanged = 0;
        SqliteNative.Check(db, raw.sqlite3_prepare_v2(db, """
            SELECT category, pass_idx, layer_idx, block_idx, half, role
            FROM kernel_rows WHERE run_id = ?1 AND device = ?2 ORDER BY kernel_idx
            """, out var statement), "kernel_rows labels");
        using (statement)
        {
            var h = statement.DangerousGetHandle();
            for (var d = 0; d < devices.Count; d++)
            {
                var (device, r) = (devices[d], results[d]);
                var halves = r.HalfLabels.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
                raw.sqlite3_reset(statement);
                raw.sqlite3_bind_int64(statement, 1, runId);
                raw.sqlite3_bind_int64(statement, 2, device.Device);
                int rc, i = 0;
                while ((rc = SqliteNative.Next(h)) == SqliteNative.Row && i < device.KernelIdx.Length)
                {
                    var sameCategory = SqliteNative.IsText(h, 0, categories[device.NameId[i]]);
                    var half = r.HalfIdx[i];
                    var same = sameCategory
                        && SqliteNative.Int64(h, 1) == Id(r.PassIdx[i])
                        && SqliteNative.Int64(h, 2) == Id(r.LayerIdx[i])
                        && SqliteNative.Int64(h, 3) == Id(r.BlockIdx[i])
                        && SqliteNative.IsText(h, 4, half < 0 || half >= halves.Length ? null : halves[half])
                        && SqliteNative.IsText(h, 5, KernelRows.Roles[(int)r.Role[i]]);
                    if (!same) changed.Add((d, i));
                    if (!sameCategory) categoriesChanged++;
                    i++;
                }
                if (rc is not SqliteNative.Row and not SqliteNative.Done) SqliteNative.Check(db, rc, "kernel_rows labels");
            }
        }
        return (changed, categoriesChanged);
    }

    private static long? Id(int value) => value < 0 ? null : value;

    private static string? HalfLabel(SegmentationResult r, int i) =>
        r.HalfIdx[i] < 0 || r.HalfIdx[i] >= r.HalfLabels.Count ? null : r.HalfLabels[r.HalfIdx[i]];
}
