using System.Collections;
using System.Globalization;
using System.Text;

namespace LlmPipeline.TraceGen;

/// <summary>
/// The true place of one kernel of a generated trace.
/// </summary>
/// <param name="KernelIdx">0-based position in the device's kernels ordered by (ts ascending, file order for ties),
/// i.e. the analysis's <c>kernel_idx</c>.</param>
/// <param name="Pass">Pass (step) index, 0 = the first pass in the trace window even when it is partial; -1 outside every pass.</param>
/// <param name="Layer">Layer index on this rank (0 … N−1) for <see cref="TruthRole.Layer"/> kernels, else -1. A partial
/// first pass keeps the true numbers (its last K layers are N−K … N−1); a partial last pass starts at 0.</param>
/// <param name="Role">The kernel's role in its pass.</param>
/// <param name="Block">Layer kernels: the anchor block inside the layer (0; DeepSeek-V4: 0 = attention half, 1 = FFN
/// half). MTP/draft kernels: which block of the step (0-based). Otherwise -1.</param>
/// <param name="Name">Kernel name, as written to the trace.</param>
public readonly record struct KernelTruth(int KernelIdx, int Pass, int Layer, TruthRole Role, int Block, string Name);

/// <summary>
/// Ground truth of a generated trace: every kernel's (pass, layer | role), in kernel_idx order. The trace is the same
/// pass plan repeated, cut by the window at the start of the first pass and the end of the last, so entries are computed
/// on demand (no per-kernel storage, whatever the trace size).
/// </summary>
/// <remarks>
/// Rules (they define where layers start and end, the same for every shape): a layer starts at the first kernel of
/// its input norm (the norm that feeds its attention; a fused residual-add + norm opens the layer whose input it
/// normalizes; an eager norm of several kernels starts at its first) and runs up to the next layer's start, so its
/// attention, MLP/MoE, closing collective, residual adds and post-norms are its own, and the last layer of a pass has
/// the kernels of the others of its type. Everything of a pass before layer 0's start is <c>prologue</c>, everything
/// after the last layer's end is <c>epilogue</c> (final norm, lm_head, gather, sampling), then each MTP/draft block
/// (head, its layer, its norm, lm_head, sampling) is <c>mtp</c> or <c>draft</c> with layer -1.
/// </remarks>
public sealed class TraceTruth : IReadOnlyList<KernelTruth>, IEquatable<TraceTruth>
{
    /// <summary>First line of a truth file.</summary>
    public const string FileMagic = "# LlmPipeline TraceGen ground truth v1";

    /// <summary>Column header line of a truth file.</summary>
    public const string ColumnHeader = "kernel_idx\tpass\tlayer\trole\tblock\tname";

    private readonly PlannedKernel[] _plan;
    private readonly int _firstLo, _lastHi, _firstLen;

    internal TraceTruth(List<PlannedKernel> plan, int passes, int firstLo, int lastHi, int device)
    {
        _plan = plan.ToArray();
        Passes = passes;
        Device = device;
        _firstLo = firstLo;
        _lastHi = lastHi;
        _firstLen = (passes == 1 ? lastHi : _plan.Length) - firstLo;
        long count = passes == 1 ? _firstLen : _firstLen + (long)(passes - 2) * _plan.Length + lastHi;
        if (count > int.MaxValue) throw new InvalidOperationException("More than 2^31 kernels: the truth cannot be indexed.");
        Count = (int)count;
    }

    /// <summary>Passes in the trace window (partial ones included).</summary>
    public int Passes { get; }

    /// <summary>The device (GPU index) whose kernels these are.</summary>
    public int Device { get; }

    /// <summary>Kernels per whole pass.</summary>
    public int KernelsPerPass => _plan.Length;

    /// <summary>Whether the window cut the first pass (<see cref="TraceSpec.TrimFirstPassKernels"/> &gt; 0).</summary>
    public bool FirstPassPartial => _firstLo > 0;

    /// <summary>Whether the window cut the last pass (<see cref="TraceSpec.KeepLastPassKernels"/>).</summary>
    public bool LastPassPartial => _lastHi < _plan.Length;

    /// <summary>Number of kernels in the trace.</summary>
    public int Count { get; }

    /// <summary>The truth of kernel <paramref name="index"/> (kernel_idx order).</summary>
    public KernelTruth this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            int pass, slot;
            if (index < _firstLen) { pass = 0; slot = _firstLo + index; }
            else
            {
                int j = index - _firstLen;
                pass = 1 + j / _plan.Length;
                slot = j % _plan.Length;
            }
            var p = _plan[slot];
            return new KernelTruth(index, pass, p.TruthLayer, p.Role, p.Block, p.Template.Name);
        }
    }

    /// <inheritdoc />
    public IEnumerator<KernelTruth> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Same kernels in the same places (same pass plan, pass count, window and device).</summary>
    public bool Equals(TraceTruth? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Passes == other.Passes && Device == other.Device && _firstLo == other._firstLo && _lastHi == other._lastHi
             && _plan.AsSpan().SequenceEqual(other._plan)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TraceTruth);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Passes, Device, _firstLo, _lastHi, _plan.Length);

    /// <summary>
    /// The truth file next to a trace: the trace path without <c>.gz</c> and <c>.json</c>, plus <c>.truth.tsv</c>
    /// (<c>rank-0.pt.trace.json.gz</c> → <c>rank-0.pt.trace.truth.tsv</c>).
    /// </summary>
    public static string PathFor(string tracePath)
    {
        ArgumentNullException.ThrowIfNull(tracePath);
        var p = tracePath;
        if (p.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) p = p[..^3];
        if (p.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) p = p[..^5];
        return p + ".truth.tsv";
    }

    /// <summary>
    /// Writes the truth as UTF-8 tab-separated text: <see cref="FileMagic"/>, a <c># device=…, passes=…,
    /// kernels=…, kernels_per_pass=…</c> line, <see cref="ColumnHeader"/>, then one row per kernel in kernel_idx order:
    /// kernel_idx, pass (-1 outside passes), layer (-1 outside layers), role (<see cref="TruthRoleNames.ToName"/>,
    /// empty outside passes), block, name (last column; names hold no tab or newline).
    /// </summary>
    public void WriteTsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var inv = CultureInfo.InvariantCulture;
        writer.Write(FileMagic + "\n");
        writer.Write(string.Create(inv, $"# device={Device}\tpasses={Passes}\tkernels={Count}\tkernels_per_pass={KernelsPerPass}\n"));
        writer.Write(ColumnHeader + "\n");
        foreach (var k in this)
            writer.Write(string.Create(inv, $"{k.KernelIdx}\t{k.Pass}\t{k.Layer}\t{k.Role.ToName()}\t{k.Block}\t{k.Name}\n"));
    }

    /// <summary>Writes the truth to <paramref name="path"/> (created or overwritten), see <see cref="WriteTsv(TextWriter)"/>.</summary>
    public void WriteTsv(string path)
    {
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        WriteTsv(w);
    }

    /// <summary>Reads a truth file written by <see cref="WriteTsv(string)"/>.</summary>
    /// <exception cref="FormatException">Not a truth file, or a malformed row.</exception>
    public static IReadOnlyList<KernelTruth> ReadTsv(string path)
    {
        using var r = new StreamReader(path, Encoding.UTF8);
        if (r.ReadLine() != FileMagic) throw new FormatException($"'{path}' is not a TraceGen truth file (first line).");
        var list = new List<KernelTruth>();
        string? line;
        bool header = false;
        while ((line = r.ReadLine()) is not null)
        {
            if (line.StartsWith('#')) continue;
            if (!header)
            {
                if (line != ColumnHeader) throw new FormatException($"'{path}': expected the column header, got '{line}'.");
                header = true;
                continue;
            }
            var f = line.Split('\t', 6);
            if (f.Length != 6) throw new FormatException($"'{path}': row {list.Count} has {f.Length} columns, expected 6.");
            var inv = CultureInfo.InvariantCulture;
            list.Add(new KernelTruth(int.Parse(f[0], inv), int.Parse(f[1], inv), int.Parse(f[2], inv), TruthRoleNames.Parse(f[3]),
                int.Parse(f[4], inv), f[5]));
            if (list[^1].KernelIdx != list.Count - 1) throw new FormatException($"'{path}': kernel_idx {f[0]} out of order.");
        }
        return list;
    }
}
