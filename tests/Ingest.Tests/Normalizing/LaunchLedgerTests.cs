using System.Text;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Reading;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Normalizing;

/// <summary>
/// <see cref="LaunchLedger"/>, fed runtime events one by one as the normalizer does: whether the stored launch rows may
/// hold duplicates (any correlation id not greater than the one before, or an event without one), which events count
/// as kernel launches (their correlation ids kept in file order) and as graph launches, and the in-memory check that
/// every kernel launch has a kernel with its correlation id.
/// </summary>
public sealed class LaunchLedgerTests
{
    private static LaunchLedger Ledger(params (string Name, long? Correlation)[] events)
    {
        var ledger = new LaunchLedger();
        foreach (var (name, correlation) in events) Note(ledger, name, correlation);
        return ledger;
    }

    private static void Note(LaunchLedger ledger, string name, long? correlation)
    {
        var e = new TraceEvent { Ph = (byte)'X', Category = EventCategory.CudaRuntime, Name = Encoding.UTF8.GetBytes(name), Correlation = correlation };
        ledger.Note(ref e);
    }

    private static long[] Launches(LaunchLedger ledger) =>
        Enumerable.Range(0, ledger.LaunchCorrelations.Count).Select(i => ledger.LaunchCorrelations[i]).ToArray();

    [Fact]
    public void Strictly_increasing_correlation_ids_cannot_hold_duplicates()
    {
        var ledger = Ledger(("cudaLaunchKernel", 1), ("cudaMemcpyAsync", 2), ("cudaLaunchKernel", 5), ("cudaStreamSynchronize", 6), ("cudaLaunchKernel", 900));
        Assert.False(ledger.MayHoldDuplicates);
        Assert.False(new LaunchLedger().MayHoldDuplicates);
    }

    [Theory]
    [InlineData(7L)] // the same correlation id again (a repeated event)
    [InlineData(3L)] // a smaller one (a concatenated or merged file)
    public void A_correlation_id_not_greater_than_the_one_before_may_hold_duplicates(long next)
    {
        var ledger = Ledger(("cudaLaunchKernel", 1), ("cudaLaunchKernel", 7));
        Assert.False(ledger.MayHoldDuplicates);
        Note(ledger, "cudaLaunchKernel", next);
        Assert.True(ledger.MayHoldDuplicates);
        Note(ledger, "cudaLaunchKernel", 100); // stays true once set
        Assert.True(ledger.MayHoldDuplicates);
    }

    [Fact]
    public void A_runtime_event_without_a_correlation_id_may_hold_duplicates_and_is_not_a_launch_correlation()
    {
        var ledger = Ledger(("cudaLaunchKernel", 1), ("cudaLaunchKernel", null), ("cudaGraphLaunch", null), ("cudaLaunchKernel", 2));
        Assert.True(ledger.MayHoldDuplicates);
        Assert.Equal([1L, 2L], Launches(ledger));
        Assert.Equal(0, ledger.GraphLaunches);
    }

    [Fact]
    public void Only_kernel_and_graph_launches_keep_their_correlation_ids_in_file_order()
    {
        var ledger = Ledger(
            ("cudaLaunchKernel", 10), ("cudaMemcpyAsync", 11), ("cudaLaunchKernel", 12), ("hipModuleLaunchKernel", 13),
            ("cudaStreamSynchronize", 14), ("cudaGraphLaunch", 15), ("cuLaunchKernel", 16), ("cudaLaunchCooperativeKernel", 17),
            ("cudaLaunchHostFunc", 18), ("cudaEventRecord", 19), ("cudalaunchkernel", 20), ("cudaGraphInstantiate", 21),
            ("hipGraphLaunch", 22), ("cuLaunchKernelEx", 23), ("cudaMemsetAsync", 24));
        Assert.Equal([10L, 12L, 13L, 15L, 16L, 17L, 20L, 22L, 23L], Launches(ledger));
        Assert.Equal(2, ledger.GraphLaunches); // cudaGraphLaunch 15, hipGraphLaunch 22
        Assert.False(ledger.MayHoldDuplicates);
    }

    [Theory]
    [InlineData("cudaLaunchKernel", true)]
    [InlineData("hipModuleLaunchKernel", true)]
    [InlineData("hipExtModuleLaunchKernel", true)]
    [InlineData("cudaGraphLaunch", true)]
    [InlineData("hipGraphLaunch", true)]
    [InlineData("cuLaunchKernel", true)]
    [InlineData("cudaLaunchCooperativeKernel", true)]
    [InlineData("CUDALAUNCHKERNEL", true)]
    [InlineData("cudaMemcpyAsync", false)]
    [InlineData("cudaStreamSynchronize", false)]
    [InlineData("cudaLaunchHostFunc", false)]
    [InlineData("cudaGraphInstantiate", false)]
    [InlineData("", false)]
    public void IsKernelLaunch_matches_kernel_and_graph_launch_names(string name, bool launch) =>
        Assert.Equal(launch, LaunchLedger.IsKernelLaunch(name));

    [Fact]
    public void GraphLaunches_counts_cuda_and_hip_graph_launches_one_per_event()
    {
        var ledger = Ledger(("cudaGraphLaunch", 1), ("cudaGraphLaunch", 2), ("cudaLaunchKernel", 3), ("hipGraphLaunch", 4), ("cudaStreamSynchronize", 5), ("cudaGraphLaunch", 6));
        Assert.Equal(4, ledger.GraphLaunches);
        Assert.Equal([1L, 2L, 3L, 4L, 6L], Launches(ledger));
    }

    [Fact]
    public void AllLaunchesHaveKernels_is_true_only_when_every_launch_correlation_is_among_the_kernels()
    {
        // cudaMemcpyAsync 4 is not a kernel launch: no kernel needed for it.
        var ledger = Ledger(("cudaLaunchKernel", 2), ("cudaMemcpyAsync", 4), ("cudaLaunchKernel", 7), ("cudaGraphLaunch", 9));
        Assert.True(ledger.AllLaunchesHaveKernels([2, 7, 9]));
        Assert.True(ledger.AllLaunchesHaveKernels([1, 2, 2, 3, 7, 8, 9, 11])); // extra kernels and several per launch
        Assert.False(ledger.AllLaunchesHaveKernels([2, 9]));        // launch 7 has no kernel
        Assert.False(ledger.AllLaunchesHaveKernels([2, 4, 7]));     // graph launch 9 has none; the memcpy's 4 does not help
        Assert.False(ledger.AllLaunchesHaveKernels([7, 9]));        // the first launch, 2
        Assert.False(ledger.AllLaunchesHaveKernels([]));
        Assert.True(new LaunchLedger().AllLaunchesHaveKernels([]));  // no launches: nothing missing
    }

    [Fact]
    public void Release_frees_the_launch_correlations_but_keeps_the_graph_launch_count_and_duplicate_flag()
    {
        var ledger = Ledger(("cudaGraphLaunch", 5), ("cudaLaunchKernel", 5));
        Assert.Equal(2, ledger.LaunchCorrelations.Count);
        ledger.Release();
        Assert.Equal(0, ledger.LaunchCorrelations.Count);
        Assert.Equal(1, ledger.GraphLaunches);
        Assert.True(ledger.MayHoldDuplicates);
    }
}
