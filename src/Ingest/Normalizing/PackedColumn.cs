using System.Numerics;
using System.Runtime.CompilerServices;
namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// An append-only column of integers that holds most of them at half their width: values are stored in chunks of
/// 65,536, each as <typeparamref name="TOffset"/> offsets from the chunk's first value while every value of the chunk
/// lies within the offset's range of it (neighbouring kernels' <c>ts</c>, correlation ids, External ids, stream
/// handles, byte offsets and dictionary ids do), and as plain <typeparamref name="TValue"/>s once one does not (the
/// chunk is widened in place, once). Reads give back exactly the values added, whatever they are (sentinels such as
/// <see cref="long.MinValue"/> or -1 included): offsets wrap, and a value is packed only when base + offset gives it back.
/// </summary>
/// <typeparam name="TValue">The values' type (<see cref="long"/>, <see cref="int"/>).</typeparam>
/// <typeparam name="TOffset">The packed offsets' type, half as wide (<see cref="int"/>, <see cref="short"/>).</typeparam>
public class PackedColumn<TValue, TOffset>
    where TValue : unmanaged, IBinaryInteger<TValue>
    where TOffset : unmanaged, IBinaryInteger<TOffset>, IMinMaxValue<TOffset>
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private static readonly TValue MinOffset = TValue.CreateTruncating(TOffset.MinValue);
    private static readonly TValue MaxOffset = TValue.CreateTruncating(TOffset.MaxValue);
    private readonly List<Chunk> _chunks = [];

    /// <summary>Number of values.</summary>
    public int Count { get; private set; }

    /// <summary>Appends a value.</summary>
    public void Add(TValue value)
    {
        var offset = Count & (ChunkSize - 1);
        if (offset == 0) _chunks.Add(new Chunk(value));
        _chunks[^1].Set(offset, value);
        Count++;
    }

    /// <summary>Appends <paramref name="count"/> copies of <paramref name="value"/> (2 bytes or less each until <see cref="Set"/> changes them).</summary>
    public void AddRepeated(TValue value, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (; count > 0 && (Count & (ChunkSize - 1)) != 0; count--) Add(value);
        for (; count >= ChunkSize; count -= ChunkSize, Count += ChunkSize) _chunks.Add(new Chunk(value));
        for (; count > 0; count--) Add(value);
    }

    /// <summary>The value at <paramref name="index"/> (&lt; <see cref="Count"/>).</summary>
    public TValue this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _chunks[index >> ChunkBits].Get(index & (ChunkSize - 1));
    }

    /// <summary>Replaces the value at <paramref name="index"/> (&lt; <see cref="Count"/>).</summary>
    public void Set(int index, TValue value) => _chunks[index >> ChunkBits].Set(index & (ChunkSize - 1), value);

    /// <summary>Copies the values in the order given by <paramref name="order"/> into a new array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public TValue[] Gather(int[] order)
    {
        var result = new TValue[order.Length];
        for (var i = 0; i < order.Length; i++) result[i] = this[order[i]];
        return result;
    }

    /// <summary>Frees the chunks.</summary>
    public void Clear()
    {
        _chunks.Clear();
        Count = 0;
    }

    /// <summary>65,536 values: offsets from <see cref="_base"/> while they fit <typeparamref name="TOffset"/>, else the values.</summary>
    private sealed class Chunk(TValue first)
    {
        private readonly TValue _base = first;
        private TOffset[]? _offsets = new TOffset[ChunkSize];
        private TValue[]? _values;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TValue Get(int i) => _offsets is { } offsets ? unchecked(_base + TValue.CreateTruncating(offsets[i])) : _values![i];

        public void Set(int i, TValue value)
        {
            if (_offsets is { } offsets)
            {
                var delta = unchecked(value - _base);
                if (delta >= MinOffset && delta <= MaxOffset)
                {
                    offsets[i] = TOffset.CreateTruncating(delta);
                    return;
                }
                _values = new TValue[ChunkSize];
                for (var j = 0; j < ChunkSize; j++) _values[j] = unchecked(_base + TValue.CreateTruncating(offsets[j]));
                _offsets = null;
            }
            _values![i] = value;
        }
    }
}

/// <summary>
/// A <see cref="PackedColumn{TValue, TOffset}"/> of 64-bit values (ns timestamps and durations, correlation and External
/// ids, stream handles, byte offsets) held as 32-bit offsets: 4 bytes per value as Kineto writes them.
/// </summary>
public sealed class PackedLongColumn : PackedColumn<long, int>;

/// <summary>
/// A <see cref="PackedColumn{TValue, TOffset}"/> of 32-bit dictionary ids (kernel names, grid and block texts,
/// launching operators and their Input Dims; -1 for none) held as 16-bit offsets: 2 bytes per value while a chunk's ids
/// lie within 32,767 of its first one.
/// </summary>
public sealed class PackedIntColumn : PackedColumn<int, short>;
