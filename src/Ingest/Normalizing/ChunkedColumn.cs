using System.Runtime.CompilerServices;
namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// An append-only column of values stored in fixed-size chunks, so that growing to millions of kernels never copies
/// or doubles the whole array (memory stays proportional to the kernels held).
/// </summary>
/// <typeparam name="T">Unmanaged value type.</typeparam>
public sealed class ChunkedColumn<T> where T : unmanaged
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly List<T[]> _chunks = [];

    /// <summary>Number of values.</summary>
    public int Count { get; private set; }

    /// <summary>Appends a value.</summary>
    public void Add(T value)
    {
        var offset = Count & (ChunkSize - 1);
        if (offset == 0) _chunks.Add(new T[ChunkSize]);
        _chunks[^1][offset] = value;
        Count++;
    }

    /// <summary>The value at <paramref name="index"/>.</summary>
    public T this[int index] => _chunks[index >> ChunkBits][index & (ChunkSize - 1)];

    /// <summary>Replaces the value at <paramref name="index"/> (&lt; <see cref="Count"/>).</summary>
    public void Set(int index, T value) => _chunks[index >> ChunkBits][index & (ChunkSize - 1)] = value;

    /// <summary>Copies the values in the order given by <paramref name="order"/> into a new array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public T[] Gather(int[] order)
    {
        var result = new T[order.Length];
        for (var i = 0; i < order.Length; i++) result[i] = this[order[i]];
        return result;
    }

    /// <summary>Frees the chunks.</summary>
    public void Clear()
    {
        _chunks.Clear();
        Count = 0;
    }
}
