using LlmPipeline.Ingest.Phases;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Phases;

/// <summary>
/// <see cref="LaunchTimes"/>: each correlation's first launch time, kept in an array by id when the ids are dense and
/// in a dictionary when they are not; both give the same answers.
/// </summary>
public sealed class LaunchTimesTests
{
    [Theory]
    [InlineData(10, 1_000)] // ids 10..13: a range of 4, within the dense limit (4096 without a runs row)
    [InlineData(10, 1_000_000)] // ids 10 .. 1,000,010: sparse
    public void Each_correlation_gets_its_first_launch_and_unknown_ones_none(long first, long step)
    {
        using var dir = new TempDir();
        using var c = LlmDatabase.OpenForWrite(dir.File("l.db"));
        // Correlation first+step has two launches (the earlier, 150, counts); first+2*step none; run 2's rows are not run 1's.
        LlmDatabase.Execute(c, $"""
            INSERT INTO launches (run_id, correlation, name, ts_ns) VALUES
                (1, {first}, 'cudaLaunchKernel', 100), (1, {first + step}, 'cudaLaunchKernel', 200),
                (1, {first + step}, 'cudaLaunchKernel', 150), (1, {first + 3 * step}, 'cudaLaunchKernel', 400),
                (1, NULL, 'cudaMalloc', 50), (2, {first + 2 * step}, 'cudaLaunchKernel', 300);
            """);
        var times = LaunchTimes.Read(c, null, 1);
        Assert.True(times.TryGet(first, out var a));
        Assert.Equal(100, a);
        Assert.True(times.TryGet(first + step, out var b));
        Assert.Equal(150, b);
        Assert.True(times.TryGet(first + 3 * step, out var d));
        Assert.Equal(400, d);
        Assert.False(times.TryGet(first + 2 * step, out _));
        Assert.False(times.TryGet(first - 1, out _));
        Assert.False(times.TryGet(first + 4 * step, out _));
    }

    [Fact]
    public void A_run_without_launches_has_no_times()
    {
        using var dir = new TempDir();
        using var c = LlmDatabase.OpenForWrite(dir.File("l.db"));
        Assert.False(LaunchTimes.Read(c, null, 1).TryGet(0, out _));
    }
}
