using System.Runtime.CompilerServices;
using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Normalizing;

namespace LlmPipeline.Ingest.Segmenting;

/// <summary>
/// Turns one device's collected kernels into a start-ordered <see cref="KernelSequence"/>, sets aside kernels whose
/// duration would stretch the trace absurdly (<see cref="Prepare"/>), and segments the rest (<see cref="Segment"/>).
/// The sequence holds the kernels' <c>ts</c>, <c>dur</c> and name ids in start order, so <see cref="Prepare"/> frees
/// those three columns of <see cref="Kernels"/> (<c>TsNs</c>, <c>DurNs</c>, <c>NameId</c>: 10 bytes per kernel packed,
/// 29 MB for a 4 GB trace); read them from <see cref="Sequence"/>.
/// </summary>
public sealed class DeviceSegmentation
{
    private DeviceSegmentation(DeviceKernels kernels, int[] order, KernelSequence sequence, SegmentationResult result, int setAside)
    {
        Kernels = kernels;
        Order = order;
        Sequence = sequence;
        Result = result;
        SetAside = setAside;
    }

    /// <summary>The collected kernels (file order).</summary>
    public DeviceKernels Kernels { get; }

    /// <summary>Start order: <c>Order[kernel_idx]</c> is the index into <see cref="Kernels"/>.</summary>
    public int[] Order { get; }

    /// <summary>The kernels in start order.</summary>
    public KernelSequence Sequence { get; }

    /// <summary>The segmentation.</summary>
    public SegmentationResult Result { get; internal set; }

    /// <summary>
    /// Per kernel in start order: whether its launching cpu_op is an autograd backward operator
    /// (<c>autograd::engine::evaluate_function: …</c>, or an op whose name contains <c>Backward</c>); null when no
    /// kernel has a launching op or no operator is a backward one.
    /// </summary>
    internal static bool[]? BackwardOps(PackedIntColumn? opNameId, int[] order, IReadOnlyList<string>? opNames)
    {
        if (opNameId is null || opNames is null) return null;
        var backward = opNames.Select(IsBackwardOp).ToArray();
        if (!backward.Any(b => b)) return null;
        var result = new bool[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var op = opNameId[order[i]];
            result[i] = op >= 0 && op < backward.Length && backward[op];
        }
        return result;
    }

    /// <summary>An autograd backward operator: <c>autograd::engine::evaluate_function: …</c> or a name containing <c>Backward</c> (e.g. <c>MmBackward0</c>).</summary>
    internal static bool IsBackwardOp(string? op) =>
        op is not null && (op.StartsWith("autograd::engine::evaluate_function", StringComparison.Ordinal) || op.Contains("Backward", StringComparison.Ordinal));

    /// <summary>Kernels set aside because their duration ended them absurdly late.</summary>
    public int SetAside { get; }

    /// <summary>
    /// Sorts and filters one device's kernels into start order, without segmenting them yet (<see cref="Result"/> is
    /// null until <see cref="Segment"/>): enough for their kernel rows to be written while they are segmented.
    /// </summary>
    /// <param name="kernels">The device's kernels as read (file order), launching ops resolved.</param>
    /// <param name="names">Kernel names by name id.</param>
    /// <param name="warnings">Where set-aside kernels are counted.</param>
    /// <param name="opNames">Names of the launching cpu_ops (<see cref="DeviceKernels.OpNameId"/> indexes them), to tell
    /// a training step's backward kernels (launched by autograd backward operators); null when unknown.</param>
    public static DeviceSegmentation Prepare(DeviceKernels kernels, IReadOnlyList<string> names, WarningLog warnings,
        IReadOnlyList<string>? opNames = null)
    {
        var order = kernels.StartOrder();
        var setAside = RemoveRunawayDurations(kernels, ref order, names, warnings);
        var sequence = new KernelSequence(kernels.TsNs.Gather(order), kernels.DurNs.Gather(order), kernels.NameId.Gather(order), names)
        {
            LaunchedByBackward = BackwardOps(kernels.OpNameId, order, opNames),
        };
        kernels.TsNs.Clear();
        kernels.DurNs.Clear();
        kernels.NameId.Clear();
        // The freed chunks (and the reader's garbage) live on the large-object heap, which only a full collection makes
        // reusable, and then only as holes of one chunk (512 kB) each, too small for segmentation's arrays (4 bytes per
        // kernel in one piece): collect once and compact that heap, so that those arrays reuse the memory instead of
        // adding to the peak (4 GB trace: peak RSS 520 -> 413 MB).
        CollectAndDecommit();
        return new DeviceSegmentation(kernels, order, sequence, null!, setAside);
    }

    /// <summary>Segments the prepared kernels (<see cref="Prepare"/>) into <see cref="Result"/>.</summary>
    /// <param name="profile">Profile of the run.</param>
    /// <param name="categorizer">Its categorizer.</param>
    /// <param name="options">User overrides of segmentation.</param>
    /// <param name="config">Model config, or null.</param>
    public void Segment(ModelProfile profile, KernelCategorizer categorizer, SegmentationOptions options, ModelConfig? config)
    {
        Result = Segmenter.Segment(Sequence, profile, categorizer, options, config);
        // Segmentation's working arrays (idle gaps, layer-start prefix sums, anchor positions: about 20 bytes per kernel)
        // are garbage now, on the large-object heap that only a full collection frees: free them before the
        // segmentation rows are written, which would otherwise add their buffers on top (4 GB trace: peak RSS 413 -> 398 MB).
        CollectAndDecommit();
    }

    /// <summary>
    /// A full, compacting collection of every heap (the large-object heap included) that also gives the memory it frees
    /// back to the system at once (<see cref="GCCollectionMode.Aggressive"/>): a plain collection keeps freed regions
    /// committed and decommits them only over later collections (193 MB trace: peak RSS 110 -> 105-106 MB).
    /// </summary>
    private static void CollectAndDecommit()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>
    /// Sets aside kernels whose end lies later than every other kernel's end by more than the span of all the other
    /// kernels (a <c>dur</c> overflow, TraceLens #669; issue "robust ingest"), so they never stretch a pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private static int RemoveRunawayDurations(DeviceKernels kernels, ref int[] order, IReadOnlyList<string> names, WarningLog warnings)
    {
        var removed = 0;
        while (order.Length >= 3)
        {
            int last = -1, position = -1;
            long maxEnd = long.MinValue, secondEnd = long.MinValue;
            for (var i = 0; i < order.Length; i++)
            {
                var k = order[i];
                var end = kernels.TsNs[k] + kernels.DurNs[k];
                if (end > maxEnd) { secondEnd = maxEnd; maxEnd = end; last = k; position = i; }
                else if (end > secondEnd) secondEnd = end;
            }
            var minStart = kernels.TsNs[order[position == 0 ? 1 : 0]];
            var span = secondEnd - minStart;
            if (span <= 0 || maxEnd - secondEnd <= span) break;
            warnings.Add(WarningCatalog.KernelRunawayDur, null,
                $"kernel '{names[kernels.NameId[last]]}' with dur {kernels.DurNs[last]} ns would end {maxEnd - secondEnd} ns after every other kernel; set aside");
            order = order.Where((_, i) => i != position).ToArray();
            removed++;
        }
        return removed;
    }
}
