using LlmPipeline.Ingest.Normalizing;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Normalizing;

/// <summary>
/// <see cref="PackedLongColumn"/> and <see cref="PackedIntColumn"/> give back exactly the values added, whether a chunk stays 32-bit offsets from its
/// first value or is widened by a value more than 2^31 away from it (a <see cref="long.MinValue"/> sentinel, a raw HIP
/// stream handle), across chunk boundaries (65,536 values per chunk), after <c>Set</c>, <c>Gather</c> and <c>Clear</c>.
/// </summary>
public sealed class PackedLongColumnTests
{
    private const int Chunk = 65_536;

    private static long[] Read(PackedLongColumn column) => Enumerable.Range(0, column.Count).Select(i => column[i]).ToArray();

    [Fact]
    public void Offsets_from_the_first_value_give_the_values_back_both_sides_of_it()
    {
        var column = new PackedLongColumn();
        // ns timestamps of a real trace: 1.7e18 base, neighbours up to 2^31 - 1 above and 2^31 below.
        long[] values = [1_733_500_000_123_456_789, 1_733_500_000_123_456_789 + int.MaxValue, 1_733_500_000_123_456_789 + int.MinValue, 1_733_500_000_123_456_790];
        foreach (var v in values) column.Add(v);
        Assert.Equal(values, Read(column));
        Assert.Equal(4, column.Count);
    }

    [Fact]
    public void A_value_out_of_offset_range_widens_its_chunk_and_keeps_the_earlier_values()
    {
        var column = new PackedLongColumn();
        long[] values = [7, 8, long.MinValue, 9, 7 + (long)int.MaxValue + 1, -1, 0x7f3a_1c00_0000];
        foreach (var v in values) column.Add(v);
        Assert.Equal(values, Read(column));
    }

    [Fact]
    public void A_sentinel_first_value_still_reads_back_the_values_after_it()
    {
        var column = new PackedLongColumn();
        long[] values = [long.MinValue, long.MinValue + 5, 42, long.MaxValue];
        foreach (var v in values) column.Add(v);
        Assert.Equal(values, Read(column));
    }

    [Fact]
    public void Chunks_are_packed_apart_across_the_boundary()
    {
        var column = new PackedLongColumn();
        // The first chunk stays narrow (0..65535); the second starts at 5e12 and widens at its third value.
        for (var i = 0; i < Chunk; i++) column.Add(i);
        column.Add(5_000_000_000_000);
        column.Add(5_000_000_000_001);
        column.Add(3);
        Assert.Equal(Chunk + 3, column.Count);
        Assert.Equal(0, column[0]);
        Assert.Equal(65_535, column[Chunk - 1]);
        Assert.Equal(5_000_000_000_000, column[Chunk]);
        Assert.Equal(5_000_000_000_001, column[Chunk + 1]);
        Assert.Equal(3, column[Chunk + 2]);
    }

    [Fact]
    public void Set_replaces_one_value_and_widens_when_it_must()
    {
        var column = new PackedLongColumn();
        foreach (var v in new long[] { 100, 200, 300 }) column.Add(v);
        column.Set(1, 250);
        Assert.Equal([100, 250, 300], Read(column));
        column.Set(2, long.MinValue);
        Assert.Equal([100, 250, long.MinValue], Read(column));
    }

    [Fact]
    public void Gather_copies_in_the_order_given_and_Clear_empties()
    {
        var column = new PackedLongColumn();
        foreach (var v in new long[] { 10, 20, long.MinValue, 40 }) column.Add(v);
        Assert.Equal([40, 10, long.MinValue, 20], column.Gather([3, 0, 2, 1]));
        column.Clear();
        Assert.Equal(0, column.Count);
        column.Add(-5);
        Assert.Equal([-5], Read(column));
    }

    private static int[] Read(PackedIntColumn column) => Enumerable.Range(0, column.Count).Select(i => column[i]).ToArray();

    [Fact]
    public void Int_ids_stay_16_bit_offsets_until_one_lies_32768_away()
    {
        var column = new PackedIntColumn();
        int[] values = [-1, 32_766, -32_769, 5, 32_767, int.MaxValue, int.MinValue, 0];
        foreach (var v in values) column.Add(v);
        Assert.Equal(values, Read(column));
        // -1 + 32,766 is the last offset up; -32,769 is -32,768 below -1, the last one down; 32,767 widens the chunk.
        Assert.Equal(32_767, column[4]);
    }

    [Fact]
    public void AddRepeated_fills_across_chunks_and_Set_changes_single_values()
    {
        var column = new PackedIntColumn();
        column.Add(9);
        column.AddRepeated(-1, 2 * Chunk + 10);
        Assert.Equal(2 * Chunk + 11, column.Count);
        Assert.Equal(9, column[0]);
        Assert.Equal(-1, column[1]);
        Assert.Equal(-1, column[Chunk]);
        Assert.Equal(-1, column[2 * Chunk + 10]);
        column.Set(Chunk + 7, 1_000_000);
        column.Set(2 * Chunk + 10, 42);
        Assert.Equal(1_000_000, column[Chunk + 7]);
        Assert.Equal(-1, column[Chunk + 6]);
        Assert.Equal(42, column[2 * Chunk + 10]);
        Assert.Equal([42, 1_000_000, 9], column.Gather([2 * Chunk + 10, Chunk + 7, 0]));
    }
}
