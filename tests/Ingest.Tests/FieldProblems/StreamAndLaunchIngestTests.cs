using LlmPipeline.Ingest.Tests.Robustness;
using Xunit;

namespace LlmPipeline.Ingest.Tests.FieldProblems;

/// <summary>
/// Stream identity and launch records across vendors, through the full ingest: raw 64-bit HIP stream handles
/// (pytorch/kineto#1424), Intel XPU launches and SYCL queues (intel/torch-xpu-ops#5284, pytorch/kineto#1467) and CUDA
/// driver-API launches (HolisticTraceAnalysis#271).
/// </summary>
[Trait("Category", "Slow")]
public sealed class StreamAndLaunchIngestTests
{
    private const long Compute = 0x7f3a40001230; // 139888158577200
    private const long Comm = 0x7f3b40001230;    // differs only above bit 32

    internal static Ingested Ingest(FieldTrace trace) => Ingested.Bytes(trace.Bytes(), numLayers: 4);

    private static readonly string[] BaselinePasses = ["0|4|decode|30|30", "1|4|decode|31|31", "2|4|decode|32|32"];

    private const string PassesSql = "SELECT pass_idx, layer_count, phase, batch_size, token_count FROM passes ORDER BY pass_idx";

    [Fact]
    public void Baseline_gives_3_decode_passes_of_4_layers_with_every_launch_and_annotation()
    {
        using var x = Ingest(new FieldTrace());
        Assert.Equal(120L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(120L, x.Scalar<long>("SELECT count(*) FROM launches"));
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Equal(["7|120"], x.Rows("SELECT stream, count(*) FROM kernels GROUP BY stream"));
        Assert.Equal(120L, x.Scalar<long>("SELECT count(*) FROM kernels WHERE op_name = 'op:' || (SELECT name FROM kernel_names n WHERE n.name_id = kernels.name_id)"));
        Assert.Empty(x.WarningKinds());
    }

    [Theory]
    [InlineData("\"stream\": 139888158577200", "139888158577200", "\"stream\": 139892453544496", "139892453544496")] // numbers in args and tid
    [InlineData("\"stream\": \"0x7f3a40001230\"", "\"0x7f3a40001230\"", "\"stream\": \"0x7f3b40001230\"", "\"0x7f3b40001230\"")] // hex strings
    [InlineData("\"queued\": 0", "\"0x7f3a40001230\"", "\"queued\": 0", "\"0x7f3b40001230\"")] // hex tid only
    public void B37_raw_64_bit_HIP_stream_handles_stay_two_streams(string computeArgs, string computeTid, string commArgs, string commTid)
    {
        using var x = Ingest(new FieldTrace
        {
            GpuPid = 2, GpuName = "AMD Instinct MI300X", LaunchName = _ => "hipLaunchKernel",
            StreamArgs = computeArgs, KernelTid = computeTid, CommPerPass = 1, CommStreamArgs = commArgs, CommTid = commTid,
        });
        Assert.Equal([$"{Compute}|120", $"{Comm}|3"], x.Rows("SELECT stream, count(*) FROM kernels GROUP BY stream ORDER BY stream"));
        Assert.Equal(["ncclDevKernel_Generic|" + Comm], x.Rows(
            "SELECT DISTINCT n.name, k.stream FROM kernels k JOIN kernel_names n USING (name_id) WHERE k.category IN (SELECT category FROM category_rules WHERE category_group = 'comm')"));
        Assert.Equal(["0|4|decode|30|30", "1|4|decode|31|31", "2|4|decode|32|32"], x.Rows(PassesSql));
    }

    [Fact]
    public void B37_control_with_small_stream_ids_gives_streams_7_and_20_and_the_same_pass_totals()
    {
        var shape = new FieldTrace { GpuPid = 2, LaunchName = _ => "hipLaunchKernel", CommPerPass = 1 };
        using var control = Ingest(shape);
        using var raw = Ingest(shape with { StreamArgs = $"\"stream\": {Compute}", KernelTid = $"{Compute}", CommStreamArgs = $"\"stream\": {Comm}", CommTid = $"{Comm}" });
        Assert.Equal(["7|120", "20|3"], control.Rows("SELECT stream, count(*) FROM kernels GROUP BY stream ORDER BY stream"));
        const string totals = "SELECT pass_idx, wall_us, busy_us, sum_us, exposed_comm_us FROM passes ORDER BY pass_idx";
        Assert.Equal(control.Rows(totals), raw.Rows(totals));
    }

    [Theory]
    [InlineData("xpu_runtime", "urEnqueueKernelLaunchWithArgsExp")]
    [InlineData("xpu_runtime", "urEnqueueKernelLaunch")]
    [InlineData("XPU_Runtime", "zeCommandListAppendLaunchKernel")]
    [InlineData("privateuse1_runtime", "aclrtLaunchKernel")]
    [InlineData("xpu_driver", "urEnqueueKernelLaunchWithArgsExp")]
    public void B38_XPU_launches_and_sycl_queues_give_the_CUDA_baselines_launches_phases_and_batch_sizes(string cat, string launch)
    {
        using var x = Ingest(new FieldTrace
        {
            LaunchCat = cat, LaunchName = _ => launch, GpuName = "Intel(R) Arc(TM) B580 Graphics",
            StreamArgs = "\"sycl queue\": 64, \"l0 queue\": \"0x5581f2a0b3c0\"", KernelTid = "\"sycl queue 64\"",
        });
        Assert.Equal(120L, x.Scalar<long>($"SELECT count(*) FROM launches WHERE name = '{launch}'"));
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Equal(["execute_context_0(0)_generation_30(30)"], x.Rows("SELECT DISTINCT substr(phase_source, 18, 38) FROM passes WHERE pass_idx = 0"));
        Assert.StartsWith("user_annotation 'execute_", x.Scalar<string>("SELECT phase_source FROM passes WHERE pass_idx = 1"));
        Assert.Equal(["64|120"], x.Rows("SELECT stream, count(*) FROM kernels GROUP BY stream"));
        // The XPU trace's device is not in the GPU peak table: its one warning says so (issue 20); nothing else.
        Assert.Equal(["unknown_gpu"], x.WarningKinds());
    }

    [Fact]
    public void B38_args_stream_wins_over_the_sycl_queue_when_both_are_given()
    {
        using var x = Ingest(new FieldTrace { LaunchCat = "xpu_runtime", StreamArgs = "\"stream\": 3, \"sycl queue\": 64" });
        Assert.Equal(["3|120"], x.Rows("SELECT stream, count(*) FROM kernels GROUP BY stream"));
    }

    [Theory]
    [InlineData(2)] // every other kernel through the driver API
    [InlineData(1)] // all of them
    public void B44_driver_API_launches_are_launches_with_the_baselines_annotations_and_ops(int every)
    {
        using var x = Ingest(new FieldTrace { LaunchCat = "cuda_runtime", LaunchName = i => i % every == 0 ? "cuLaunchKernelEx" : "cudaLaunchKernel" }
            with { LaunchCat = "cuda_driver" });
        Assert.Equal(every == 2 ? ["cuLaunchKernelEx|60", "cudaLaunchKernel|60"] : ["cuLaunchKernelEx|120"],
            x.Rows("SELECT name, count(*) FROM launches GROUP BY name ORDER BY name"));
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Equal(120L, x.Scalar<long>("SELECT count(*) FROM kernels WHERE op_name LIKE 'op:%'"));
        Assert.Empty(x.WarningKinds());
    }
}
