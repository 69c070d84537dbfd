using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Storage;

namespace LlmPipeline.Ingest.Pipeline;

/// <summary>Writes one device's kernels, in start order, with their category and segmentation columns.</summary>
public static class KernelRows
{
    /// <summary>The <c>kernels</c> columns written at ingest (<c>op_name</c> and <c>input_dims</c> are joined in at merge).</summary>
    public static readonly string[] Columns =
        ["run_id", "device", "kernel_idx", "stream", "ts_ns", "dur_ns", "name_id", "category", "pass_idx", "layer_idx",
         "block_idx", "half", "role", "correlation", "external_id", "grid", "block"];

    /// <summary>Inserts every kernel of <paramref name="segmentation"/>.</summary>
    /// <param name="insert">A prepared insert over <see cref="Columns"/>.</param>
    /// <param name="runId">Run id to write (0 in staging).</param>
    /// <param name="segmentation">The device's kernels and segmentation.</param>
    /// <param name="categoryOfName">Category key per run-local name id.</param>
    /// <param name="halfLabels">The profile's half labels.</param>
    /// <param name="smallTexts">Grid/block texts by id.</param>
    public static void Write(BulkInsert insert, long runId, DeviceSegmentation segmentation, IReadOnlyList<string> categoryOfName,
        IReadOnlyList<string> halfLabels, Utf8Interner smallTexts)
    {
        var k = segmentation.Kernels;
        var r = segmentation.Result;
        var seq = segmentation.Sequence; // ts, dur and name id in start order (DeviceSegmentation freed those columns of k)
        // Text columns repeat a handful of values: encode each once and bind the bytes.
        var categories = categoryOfName.Select(c => System.Text.Encoding.UTF8.GetBytes(c)).ToArray();
        var halves = halfLabels.Select(h => System.Text.Encoding.UTF8.GetBytes(h)).ToArray();
        var roles = Enum.GetValues<KernelRole>().ToDictionary(x => x, x => x.ToSql() is { } t ? System.Text.Encoding.UTF8.GetBytes(t) : null);
        insert.Set(0, runId);
        insert.Set(1, (long)k.Device);
        for (var i = 0; i < segmentation.Order.Length; i++)
        {
            var src = segmentation.Order[i];
            var stream = k.Stream[src];
            var corr = k.Correlation[src];
            var ext = k.ExternalId[src];
            var grid = k.GridId[src];
            var block = k.BlockId[src];
            var nameId = seq.NameId[i];
            insert.Set(2, (long)i);
            insert.Set(3, stream < 0 ? null : stream);
            insert.Set(4, seq.StartNs[i]);
            insert.Set(5, seq.DurNs[i]);
            insert.Set(6, (long)nameId);
            insert.SetUtf8(7, categories[nameId]);
            insert.Set(8, r.PassIdx[i] < 0 ? null : r.PassIdx[i]);
            insert.Set(9, r.LayerIdx[i] < 0 ? null : r.LayerIdx[i]);
            insert.Set(10, r.BlockIdx[i] < 0 ? null : r.BlockIdx[i]);
            var half = r.HalfIdx[i];
            if (half < 0 || half >= halves.Length) insert.Set(11, (string?)null); else insert.SetUtf8(11, halves[half]);
            if (roles[r.Role[i]] is { } role) insert.SetUtf8(12, role); else insert.Set(12, (string?)null);
            insert.Set(13, corr == long.MinValue ? null : corr);
            insert.Set(14, ext == long.MinValue ? null : ext);
            if (grid < 0) insert.Set(15, (string?)null); else insert.SetUtf8(15, smallTexts.Bytes(grid));
            if (block < 0) insert.Set(16, (string?)null); else insert.SetUtf8(16, smallTexts.Bytes(block));
            insert.Run();
        }
    }
}
