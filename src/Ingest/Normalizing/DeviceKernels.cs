using System.Runtime.CompilerServices;
namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// The kernels of one GPU device collected while the trace streams by, column-wise and compact (32 bytes per
/// kernel as a Kineto trace numbers them, in <see cref="PackedLongColumn"/>s and <see cref="PackedIntColumn"/>s), in file order. Sorting and segmentation happen once the trace has been read.
/// </summary>
public sealed class DeviceKernels
{
    /// <summary>Creates the collection for <paramref name="device"/>.</summary>
    public DeviceKernels(int device) => Device = device;

    /// <summary>GPU device id.</summary>
    public int Device { get; }

    /// <summary>Kernel start, ns (freed by <c>DeviceSegmentation.Prepare</c>, which keeps it in start order).</summary>
    public PackedLongColumn TsNs { get; } = new();

    /// <summary>Kernel duration, ns (freed by <c>DeviceSegmentation.Prepare</c>, which keeps it in start order).</summary>
    public PackedLongColumn DurNs { get; } = new();

    /// <summary>Run-local name id (index into the normalizer's name table; freed by <c>DeviceSegmentation.Prepare</c>).</summary>
    public PackedIntColumn NameId { get; } = new();

    /// <summary>Stream as a 64-bit id (raw HIP stream handles are pointers, kineto #1424), or -1 when unknown.</summary>
    public PackedLongColumn Stream { get; } = new();

    /// <summary>Correlation id, or <see cref="long.MinValue"/> when absent.</summary>
    public PackedLongColumn Correlation { get; } = new();

    /// <summary>External id, or <see cref="long.MinValue"/> when absent.</summary>
    public PackedLongColumn ExternalId { get; } = new();

    /// <summary>Grid text id (index into the normalizer's small-text table), -1 when absent.</summary>
    public PackedIntColumn GridId { get; } = new();

    /// <summary>Block text id, -1 when absent.</summary>
    public PackedIntColumn BlockId { get; } = new();

    /// <summary>Merged-trace rank prefix id (<see cref="EventNormalizer"/>'s prefix table), -1 when the name had none (freed at the end of <see cref="EventNormalizer.Complete"/>).</summary>
    public PackedIntColumn Origin { get; } = new();

    /// <summary>Byte offset of the kernel's event in the decompressed stream (for warnings about set-aside kernels; not part of <see cref="SameKernel"/>; freed at the end of <see cref="EventNormalizer.Complete"/>).</summary>
    public PackedLongColumn ByteOffset { get; } = new();

    /// <summary>
    /// Per kernel (indexed like the columns): the <see cref="EventNormalizer.OpNames"/> id of its launching CPU
    /// operator's name, -1 when none; null until <c>LaunchingOps.Resolve</c> has run.
    /// </summary>
    public PackedIntColumn? OpNameId { get; set; }

    /// <summary>Per kernel: the <see cref="EventNormalizer.OpDims"/> id of that operator's Input Dims, -1 when none; null until resolved.</summary>
    public PackedIntColumn? OpDimsId { get; set; }

    /// <summary>
    /// Frees every column (the kernels are then gone: <see cref="Count"/> is 0), once the run's kernel rows are parked
    /// on disk to wait for the transaction of their group (<c>RunStager.Park</c>).
    /// </summary>
    public void Release()
    {
        foreach (var column in (PackedLongColumn[])[TsNs, DurNs, Stream, Correlation, ExternalId, ByteOffset]) column.Clear();
        foreach (var column in (PackedIntColumn[])[NameId, GridId, BlockId, Origin]) column.Clear();
        OpNameId = null;
        OpDimsId = null;
    }

    /// <summary>Number of kernels.</summary>
    public int Count => Stream.Count; // a column never freed

    /// <summary>
    /// The kernel order by start time: indices into the columns sorted by <c>ts</c> ascending, equal timestamps in
    /// file order (a stable sort, as the llm-pipeline-analysis scripts do: docs/reference-analysis.md).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public int[] StartOrder()
    {
        var n = Count;
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var sorted = true;
        for (var i = 1; i < n && sorted; i++) sorted = TsNs[i - 1] <= TsNs[i];
        if (sorted) return order;
        var keys = TsNs.Gather(order);
        Array.Sort(keys, order);
        // Array.Sort is not stable: restore file order inside runs of equal timestamps.
        for (var i = 0; i < n;)
        {
            var j = i + 1;
            while (j < n && keys[j] == keys[i]) j++;
            if (j - i > 1) Array.Sort(order, i, j - i);
            i = j;
        }
        return order;
    }

    /// <summary>A copy holding only the kernels whose <paramref name="keep"/> entry is true, in file order.</summary>
    /// <param name="keep">One flag per kernel (length <see cref="Count"/>).</param>
    public DeviceKernels Where(bool[] keep)
    {
        var copy = new DeviceKernels(Device);
        for (var i = 0; i < Count; i++)
        {
            if (!keep[i]) continue;
            copy.TsNs.Add(TsNs[i]);
            copy.DurNs.Add(DurNs[i]);
            copy.NameId.Add(NameId[i]);
            copy.Stream.Add(Stream[i]);
            copy.Correlation.Add(Correlation[i]);
            copy.ExternalId.Add(ExternalId[i]);
            copy.GridId.Add(GridId[i]);
            copy.BlockId.Add(BlockId[i]);
            copy.Origin.Add(Origin[i]);
            copy.ByteOffset.Add(ByteOffset[i]);
        }
        return copy;
    }

    /// <summary>
    /// The kernels of <paramref name="parts"/> as one collection of <paramref name="device"/>, part after part, each
    /// in its own file order (used when kernels first kept apart by pid turn out to belong to one device).
    /// </summary>
    public static DeviceKernels Concat(int device, IEnumerable<DeviceKernels> parts)
    {
        var all = new DeviceKernels(device);
        foreach (var p in parts)
        {
            var copy = p;
            for (var i = 0; i < copy.Count; i++)
            {
                all.TsNs.Add(copy.TsNs[i]);
                all.DurNs.Add(copy.DurNs[i]);
                all.NameId.Add(copy.NameId[i]);
                all.Stream.Add(copy.Stream[i]);
                all.Correlation.Add(copy.Correlation[i]);
                all.ExternalId.Add(copy.ExternalId[i]);
                all.GridId.Add(copy.GridId[i]);
                all.BlockId.Add(copy.BlockId[i]);
                all.Origin.Add(copy.Origin[i]);
                all.ByteOffset.Add(copy.ByteOffset[i]);
            }
        }
        return all;
    }

    /// <summary>True when kernels <paramref name="a"/> and <paramref name="b"/> agree in every stored field (an exact duplicate).</summary>
    public bool SameKernel(int a, int b) =>
        TsNs[a] == TsNs[b] && DurNs[a] == DurNs[b] && NameId[a] == NameId[b] && Stream[a] == Stream[b]
        && Correlation[a] == Correlation[b] && ExternalId[a] == ExternalId[b] && GridId[a] == GridId[b]
        && BlockId[a] == BlockId[b] && Origin[a] == Origin[b];
}
