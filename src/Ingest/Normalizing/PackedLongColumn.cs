using System.Runtime.CompilerServices;
namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// An append-only column of 64-bit values (timestamps and durations in ns, ids, byte offsets) that holds most of them
/// in 4 bytes: values are stored in chunks of 65,536, each as 32-bit offsets from the chunk's first value while every
/// value of the chunk lies within 2^31 of it (neighbouring kernels' <c>ts</c>, correlation ids, External ids, stream
/// handles and byte offsets do), and as plain 64-bit values once one does not (the chunk is widened in place, once).
/// Reads give back exactly the values added, whatever they are (<see cref="long.MinValue"/> sentinels included).
/// </summary>
public sealed class PackedLongColumn
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly List<Chunk> _chunks = [];

    /// <summary>Number of values.</summary>
    public int Count { get; private set; }

    /// <summary>Appends a value.</summary>
    public void Add(long value)
    {
        var offset = Count & (ChunkSize - 1);
        if (offset == 0) _chunks.Add(new Chunk(value));
        _chunks[^1].Set(offset, value);
        Count++;
    }

    /// <summary>The value at <paramref name="index"/> (&lt; <see cref="Count"/>).</summary>
    public long this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _chunks[index >> ChunkBits].Get(index & (ChunkSize - 1));
    }

    /// <summary>Replaces the value at <paramref name="index"/> (&lt; <see cref="Count"/>).</summary>
    public void Set(int index, long value) => _chunks[index >> ChunkBits].Set(index & (ChunkSize - 1), value);

    /// <summary>Copies the values in the order given by <paramref name="order"/> into a new array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public long[] Gather(int[] order)
    {
        var result = new long[order.Length];
        for (var i = 0; i < order.Length; i++) result[i] = this[order[i]];
        return result;
    }

    /// <summary>Frees the chunks.</summary>
    public void Clear()
    {
        _chunks.Clear();
        Count = 0;
    }

    /// <summary>65,536 values: offsets from <see cref="_base"/> while they fit 32 bits, else the values.</summary>
    private sealed class Chunk(long first)
    {
        private readonly long _base = first;
        private int[]? _offsets = new int[ChunkSize];
        private long[]? _values;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Get(int i) => _offsets is { } offsets ? unchecked(_base + offsets[i]) : _values![i];

        public void Set(int i, long value)
        {
            if (_offsets is { } offsets)
            {
                // Wrapping subtraction: the offset is in range exactly when base + offset (wrapping) gives the value back.
                var delta = unchecked(value - _base);
                if (delta is >= int.MinValue and <= int.MaxValue)
                {
                    offsets[i] = (int)delta;
                    return;
                }
                _values = new long[ChunkSize];
                for (var j = 0; j < ChunkSize; j++) _values[j] = unchecked(_base + offsets[j]);
                _offsets = null;
            }
            _values![i] = value;
        }
    }
}
