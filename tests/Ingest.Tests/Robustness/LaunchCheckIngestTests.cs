using System.Globalization;
using Xunit;
using static LlmPipeline.Ingest.Tests.Robustness.Ingested;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>
/// The launch checks that ingest now answers in memory (<c>LaunchLedger</c>) before falling back to SQL, through the
/// full ingest: one kernel launch in the middle of the file without a kernel still gets the <c>launches_without_kernel</c>
/// warning naming its correlation id, and a trace concatenated with itself stores each launch once with a
/// <c>duplicate_event</c> warning. (Every launch having a kernel, so no warning, is covered by
/// <c>ContainerProblemIngestTests.Ingest_B11_full_coverage_adds_no_coverage_warning</c>.)
/// </summary>
public sealed class LaunchCheckIngestTests
{
    private static string Ts(int us) => us.ToString(CultureInfo.InvariantCulture);

    /// <summary>cpu_op, launch and kernel for correlations 1..<paramref name="launches"/>, without the kernels of <paramref name="noKernel"/>.</summary>
    private static List<string> Events(int launches, params int[] noKernel)
    {
        var events = new List<string>();
        for (var c = 1; c <= launches; c++)
        {
            events.Add(CpuOp("aten::mm", Ts(1000 + c * 10), "5", c + 5000));
            events.Add(Launch(c, Ts(1001 + c * 10)));
            if (!noKernel.Contains(c)) events.Add(Kernel("gemm_" + c, Ts(1003 + c * 10), "2", c));
        }
        return events;
    }

    [Fact]
    public void One_launch_in_the_middle_without_a_kernel_is_warned_with_its_correlation_id()
    {
        var events = Events(10, noKernel: 7);
        events.Add(Launch(11, Ts(1200), "cudaStreamSynchronize")); // no kernel, but not a kernel launch: not counted
        using var x = Json(Trace([.. events]));
        Assert.Equal(9L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(11L, x.Scalar<long>("SELECT count(*) FROM launches"));
        Assert.Equal((1L, (long?)null), x.Warning("launches_without_kernel"));
        var detail = x.WarningDetail("launches_without_kernel");
        Assert.StartsWith("launch coverage 9/10 (90%): 1 kernel launch(es) have no kernel event", detail);
        Assert.EndsWith("first unmatched correlation ids: 7", detail);
        Assert.Null(x.Warning("duplicate_event"));
    }

    [Fact]
    public void A_trace_concatenated_with_itself_stores_each_launch_and_kernel_once_and_warns_duplicate_event()
    {
        var events = Events(3);
        events.Add(Launch(4, Ts(1100), "cudaStreamSynchronize"));
        using var x = Json(Trace([.. events, .. events]));
        Assert.Equal(
        [
            "1|cudaLaunchKernel|1011000|5001",
            "2|cudaLaunchKernel|1021000|5002",
            "3|cudaLaunchKernel|1031000|5003",
            "4|cudaStreamSynchronize|1100000|5004",
        ], x.Rows("SELECT correlation, name, ts_ns, external_id FROM launches ORDER BY correlation"));
        Assert.Equal(["1|gemm_1|1013000", "2|gemm_2|1023000", "3|gemm_3|1033000"],
            x.Rows("SELECT k.correlation, n.name, k.ts_ns FROM kernels k JOIN kernel_names n USING (name_id) ORDER BY kernel_idx"));
        // 3 repeated kernels + 4 repeated launch rows; the detail is the first drop's (kernels).
        Assert.Equal((7L, (long?)null), x.Warning("duplicate_event"));
        Assert.Contains("3 kernel(s) on device 0", x.WarningDetail("duplicate_event"));
        Assert.Null(x.Warning("launches_without_kernel"));
    }
}
