using System.Runtime.CompilerServices;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Writing;

/// <summary>
/// Writes a device's segmentation labels as <c>kernel_spans</c> rows: each run of consecutive kernels (in
/// <c>kernel_idx</c> order) whose <c>pass_idx</c>, <c>layer_idx</c>, <c>block_idx</c>, <c>half</c> and <c>role</c>
/// are all equal becomes one span. The spans cover every kernel once, those outside every pass included (one span
/// with NULL labels per stretch). Every part of a pass is a contiguous kernel range (docs/segmentation.md), so a
/// 733 k-kernel decode run of 23 k layers gives some 24 k spans; an interleaving the rule does not expect still gives
/// exact labels, only more spans.
/// </summary>
public static class KernelSpans
{
    /// <summary>The table <see cref="Write"/> fills.</summary>
    public const string Table = "kernel_spans";

    /// <summary>Inserts the spans of <paramref name="result"/>'s labels.</summary>
    /// <param name="connection">Staging (ingest of a group file) or user database.</param>
    /// <param name="tx">The open transaction.</param>
    /// <param name="runId">Run id to write.</param>
    /// <param name="device">GPU device.</param>
    /// <param name="result">The device's segmentation: per-kernel arrays in <c>kernel_idx</c> order.</param>
    /// <param name="kernelIdx">The <c>kernel_idx</c> of each position of <paramref name="result"/>'s arrays (stored rows
    /// read back, where a hand-deleted kernel leaves a gap); null: the position itself.</param>
    /// <returns>The number of spans written (0 for a device without kernels).</returns>
    /// <exception cref="SqliteException">A row is refused (disk full, a span already stored).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static int Write(SqliteConnection connection, SqliteTransaction? tx, long runId, int device, SegmentationResult result,
        long[]? kernelIdx = null)
    {
        var n = result.PassIdx.Length;
        if (n == 0) return 0;
        var spans = 0;
        _ = tx; // the statements run inside the connection's open transaction
        // Multi-row statements: a one-row insert per span cost 4 us each (24 k spans: 0.1 s of a resegment).
        using var insert = new MultiRowInsert(connection, Table,
            ["run_id", "device", "first_kernel_idx", "last_kernel_idx", "pass_idx", "layer_idx", "block_idx", "half", "role"]);
        var first = 0;
        for (var i = 1; i <= n; i++)
        {
            if (i < n && SameLabels(result, first, i)) continue;
            insert.Set(0, runId);
            insert.Set(1, (long)device);
            insert.Set(2, kernelIdx is null ? first : kernelIdx[first]);
            insert.Set(3, kernelIdx is null ? i - 1 : kernelIdx[i - 1]);
            insert.Set(4, Id(result.PassIdx[first]));
            insert.Set(5, Id(result.LayerIdx[first]));
            insert.Set(6, Id(result.BlockIdx[first]));
            insert.Set(7, HalfLabel(result, first));
            insert.Set(8, result.Role[first].ToSql());
            insert.Run();
            spans++;
            first = i;
        }
        insert.Flush();
        return spans;
    }

    private static bool SameLabels(SegmentationResult r, int a, int b) =>
        r.PassIdx[a] == r.PassIdx[b] && r.LayerIdx[a] == r.LayerIdx[b] && r.BlockIdx[a] == r.BlockIdx[b] && r.Role[a] == r.Role[b]
        && (r.HalfIdx[a] == r.HalfIdx[b] || HalfOf(r, a) == HalfOf(r, b)); // equal indexes are equal labels: no lookup

    /// <summary>The half label index, -1 for none (an index past the labels is none too).</summary>
    private static int HalfOf(SegmentationResult r, int i) => r.HalfIdx[i] < 0 || r.HalfIdx[i] >= r.HalfLabels.Count ? -1 : r.HalfIdx[i];

    private static string? HalfLabel(SegmentationResult r, int i) => HalfOf(r, i) is var h and >= 0 ? r.HalfLabels[h] : null;

    private static long? Id(int value) => value < 0 ? null : value;
}
