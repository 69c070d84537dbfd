using LlmPipeline.Analysis.Segmentation;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>
/// <see cref="UpperMedian.Of"/>: the value at index n / 2 of the sorted values (the step-gap threshold's median of
/// every idle gap, the layer-count detector's median spacing), by selection instead of a sort.
/// </summary>
public sealed class UpperMedianTests
{
    [Theory]
    [InlineData(new long[0], 0)]
    [InlineData(new long[] { 5 }, 5)]
    [InlineData(new long[] { 3, 1 }, 3)] // even count: the larger middle value
    [InlineData(new long[] { 4, 1, 3, 2 }, 3)]
    [InlineData(new long[] { 7, 7, 7, 0, 0 }, 7)] // sorted 0 0 7 7 7, index 2
    [InlineData(new long[] { 0, 0, 0, 9, 0, 0 }, 0)] // idle gaps: mostly zero
    [InlineData(new long[] { -5, 10, -20, 0, 3 }, 0)]
    public void Gives_the_value_at_half_the_count_in_sorted_order(long[] values, long expected) =>
        Assert.Equal(expected, UpperMedian.Of(values));

    [Fact]
    public void Equals_the_sorted_middle_on_random_sorted_reversed_and_constant_arrays()
    {
        var rng = new Random(19);
        foreach (var n in new[] { 2, 3, 10, 101, 1000, 4096, 65_537 })
        {
            var shapes = new List<long[]>
            {
                Enumerable.Range(0, n).Select(_ => (long)rng.Next(0, 50)).ToArray(), // many duplicates
                Enumerable.Range(0, n).Select(_ => rng.NextInt64(long.MinValue / 2, long.MaxValue / 2)).ToArray(),
                Enumerable.Range(0, n).Select(i => (long)i).ToArray(),
                Enumerable.Range(0, n).Select(i => (long)(n - i)).ToArray(),
                Enumerable.Range(0, n).Select(i => (long)Math.Min(i, n - i)).ToArray(), // organ pipe
                Enumerable.Repeat(42L, n).ToArray(),
            };
            foreach (var values in shapes)
            {
                var sorted = (long[])values.Clone();
                Array.Sort(sorted);
                Assert.Equal(sorted[n / 2], UpperMedian.Of(values));
                Array.Sort(values);
                Assert.Equal(sorted, values); // reordered in place, never changed
            }
        }
    }
}
