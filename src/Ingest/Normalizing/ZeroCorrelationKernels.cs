using System.Text;
using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// The kernels whose <c>correlation</c> is 0: on ROCm every RCCL kernel (<c>ncclDevKernel_Generic</c>) reports
/// correlation 0 although its launch has a real one (ROCm/roctracer#100). 0 means "unknown": such a kernel is tied to
/// no launch, no graph replay and no CPU operator, and the launches it leaves without a kernel are not dropped records.
/// Counted per name as the trace streams by (a handful of names) and reported once.
/// </summary>
public sealed class ZeroCorrelationKernels
{
    private readonly Dictionary<string, long> _byName = new(StringComparer.Ordinal);
    private byte[] _lastName = [];
    private string _lastText = "";

    /// <summary>Kernels with correlation 0.</summary>
    public long Count { get; private set; }

    /// <summary>Byte offset of the first one.</summary>
    public long? FirstByteOffset { get; private set; }

    /// <summary>Counts one kernel with correlation 0.</summary>
    public void Note(ReadOnlySpan<byte> name, long byteOffset)
    {
        Count++;
        FirstByteOffset ??= byteOffset;
        if (!name.SequenceEqual(_lastName))
        {
            _lastName = name.ToArray();
            _lastText = Encoding.UTF8.GetString(name);
        }
        _byName[_lastText] = _byName.GetValueOrDefault(_lastText) + 1;
    }

    /// <summary>The names, most frequent first, each with its count (<c>ncclDevKernel_Generic ×24</c>), at most three then "…".</summary>
    public string Names()
    {
        var top = _byName.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var text = string.Join(", ", top.Take(3).Select(kv => $"{kv.Key} ×{kv.Value}"));
        return top.Count > 3 ? text + $", and {top.Count - 3} more name(s)" : text;
    }

    /// <summary>Adds the <see cref="WarningCatalog.KernelCorrelationZero"/> warning when any kernel had correlation 0.</summary>
    public void Report(WarningLog warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        if (Count == 0) return;
        warnings.Add(WarningCatalog.KernelCorrelationZero, FirstByteOffset,
            $"{Count} kernel(s) carry correlation 0, which means unknown (ROCm/roctracer#100): {Names()}. They are stored with correlation NULL and tied to no launch, " +
            "graph replay or CPU operator, so their op_name is NULL; their times, categories and passes are unaffected. Nothing to do; a newer ROCm profiler reports their correlation",
            Count);
    }
}
