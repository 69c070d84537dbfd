using System.Globalization;
using LlmPipeline.Ingest.Tests.Robustness;
using Xunit;

namespace LlmPipeline.Ingest.Tests.FieldProblems;

/// <summary>
/// Kernels, their launches and their CPU operators, through the full ingest: correlation 0 / External id 0 kernels
/// (ROCm/roctracer#100), kernels linked to their op only through their launch (correlation and External id are two
/// counters: pytorch/pytorch#124388) and CPU/GPU clocks that differ (ROCm/rocm-systems#11667, kineto #1082).
/// </summary>
public sealed class LaunchLinkIngestTests
{
    private static Ingested Ingest(FieldTrace t) => StreamAndLaunchIngestTests.Ingest(t);

    private static readonly string[] BaselinePasses = ["0|4|decode|30|30", "1|4|decode|31|31", "2|4|decode|32|32"];
    private const string PassesSql = "SELECT pass_idx, layer_count, phase, batch_size, token_count FROM passes ORDER BY pass_idx";

    private static readonly FieldTrace Mi300 = new()
    {
        GpuName = "AMD Instinct MI300X", LaunchName = _ => "hipLaunchKernel", CommPerLayer = 2, CommCorrelationZero = true,
    };

    [Fact]
    public void B43_correlation_0_kernels_are_kept_unlinked_and_the_diagnosis_names_them_instead_of_dropped_records()
    {
        using var x = Ingest(Mi300);
        Assert.Equal(144L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(["ncclDevKernel_Generic|24|0|0|0"], x.Rows("""
            SELECT n.name, count(*), count(k.correlation), count(k.external_id), count(k.op_name)
            FROM kernels k JOIN kernel_names n USING (name_id) WHERE k.correlation IS NULL OR n.name LIKE 'nccl%' GROUP BY n.name
            """));
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Equal(120L, x.Scalar<long>("SELECT count(*) FROM kernels WHERE op_name LIKE 'op:%' AND op_name <> 'op:ncclDevKernel_Generic'"));
        Assert.Equal(["kernel_correlation_zero"], x.WarningKinds()); // no "dropped kernel records", no "External id without cpu_op"
        Assert.Equal(24L, x.Warning("kernel_correlation_zero")!.Value.Count);
        Assert.StartsWith("24 kernel(s) carry correlation 0, which means unknown (ROCm/roctracer#100): ncclDevKernel_Generic ×24.", x.WarningDetail("kernel_correlation_zero"));
        // Exposed communication is measured as on the control (its kernels are on their own stream, overlapping the o-proj GEMM).
        using var control = Ingest(Mi300 with { CommCorrelationZero = false });
        const string totals = "SELECT pass_idx, wall_us, busy_us, sum_us, exposed_comm_us FROM passes ORDER BY pass_idx";
        Assert.Equal(control.Rows(totals), x.Rows(totals));
        Assert.Empty(control.WarningKinds());
    }

    [Fact]
    public void B43_more_launches_without_kernels_than_correlation_0_kernels_still_warns_and_says_how_many_are_missing()
    {
        var json = Mi300.Json();
        // Drop the kernels of correlations 1001 and 1002 (the first two launches of the trace).
        var lines = json.Split('\n').Where(l => !(l.Contains("\"cat\": \"kernel\"") && (l.Contains("\"correlation\": 1001,") || l.Contains("\"correlation\": 1002,")))).ToArray();
        using var x = Ingested.Bytes(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)), numLayers: 4);
        Assert.Equal(26L, x.Warning("launches_without_kernel")!.Value.Count);
        Assert.Contains("24 of them most likely belong to the kernels with correlation 0 (ncclDevKernel_Generic ×24), the other 2 are missing", x.WarningDetail("launches_without_kernel"));
    }

    [Fact]
    public void B45_kernels_without_an_External_id_get_their_op_through_their_launch_never_by_correlation_equal_to_External_id()
    {
        // cpu_op k has External id k + 7, its launch correlation k and External id k + 7; kernels carry only correlation.
        using var x = Ingest(new FieldTrace { ExternalIdOffset = 7, KernelExternalId = false });
        Assert.Equal(120L, x.Scalar<long>("SELECT count(*) FROM kernels WHERE op_name = 'op:' || (SELECT name FROM kernel_names n WHERE n.name_id = kernels.name_id)"));
        Assert.Equal(120L, x.Scalar<long>("SELECT count(*) FROM kernels WHERE external_id = correlation + 7"));
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Equal(["external_id_from_launch"], x.WarningKinds());
        Assert.StartsWith("120 of 120 kernels without an External id of their own took their launch's", x.WarningDetail("external_id_from_launch"));
    }

    [Fact]
    public void B45_a_kernel_with_External_id_0_also_takes_its_launchs()
    {
        var json = new FieldTrace().Json().Replace("\"stream\": 7, \"correlation\": 1001, \"External id\": 6001}", "\"stream\": 7, \"correlation\": 1001, \"External id\": 0}", StringComparison.Ordinal);
        using var x = Ingested.Bytes(System.Text.Encoding.UTF8.GetBytes(json), numLayers: 4);
        Assert.Equal(["1001|6001|op:embedding_kernel"], x.Rows("SELECT correlation, external_id, op_name FROM kernels WHERE kernel_idx = 0"));
        Assert.Equal(1L, x.Warning("external_id_from_launch")!.Value.Count);
    }

    [Fact]
    public void B43_External_id_0_everywhere_is_unknown_and_named_instead_of_an_External_id_that_no_cpu_op_has()
    {
        // As in a FasterTransformer trace: every kernel and launch says External id 0, and no cpu_op exists.
        var json = new FieldTrace { ZeroExternalIds = true }.Json()
            .Replace("{\"ph\": \"X\", \"cat\": \"cpu_op\"", "{\"ph\": \"X\", \"cat\": \"python_function\"", StringComparison.Ordinal);
        using var x = Ingested.Bytes(System.Text.Encoding.UTF8.GetBytes(json), numLayers: 4);
        Assert.Equal(["120|0|0"], x.Rows("SELECT count(*), count(external_id), count(op_name) FROM kernels"));
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Equal(["kernel_external_id_zero"], x.WarningKinds());
        Assert.StartsWith("120 kernel(s) carry External id 0, which means unknown, and no launch gives them one", x.WarningDetail("kernel_external_id_zero"));
    }

    [Theory]
    // The baseline's median launch→kernel delay is 1.050 ms (890 µs for the first kernel of a pass, growing by 8 µs per kernel).
    [InlineData(-5_000_000.0, 120, "-4.998950 s off")] // (a) every kernel 5 s early
    [InlineData(5_000_000.0, 120, "5.001050 s off")]   // (b) every kernel 5 s late: no kernel before its launch, but a 5 s median delay
    [InlineData(-2_000.0, 120, "-0.000950 s off")]     // 2 ms early: before every launch
    public void B41_a_GPU_clock_offset_is_warned_with_its_estimate_and_joins_stay_by_correlation(double shiftUs, long count, string offsetPrefix)
    {
        using var x = Ingest(new FieldTrace { KernelShiftUs = _ => shiftUs });
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Equal(120L, x.Scalar<long>("SELECT count(*) FROM kernels WHERE op_name LIKE 'op:%'"));
        var (n, _) = x.Warning("clock_domain_mismatch")!.Value;
        Assert.Equal(count, n);
        var detail = x.WarningDetail("clock_domain_mismatch");
        Assert.Contains($"the GPU's about {offsetPrefix}", detail);
        Assert.Contains(shiftUs < 0 ? "120 of 120 kernels start before their launch" : "0 of 120 kernels start before their launch", detail);
        Assert.Contains("trace_start_ns/trace_end_ns and start_s mix both clocks", detail);
        Assert.Equal(shiftUs < 0, detail.EndsWith("The negative kernel ts come from this offset, not from baseTimeNanoseconds.", StringComparison.Ordinal));
        Assert.Equal(shiftUs < 0, x.Warning("negative_ts") is not null); // both shifts put kernels before the base time
    }

    [Fact]
    public void B41_a_drift_of_300_us_over_the_trace_is_not_detectable_and_raises_nothing()
    {
        using var x = Ingest(new FieldTrace { KernelShiftUs = k => 300.0 * k / 120 });
        Assert.Equal(BaselinePasses, x.Rows(PassesSql));
        Assert.Null(x.Warning("clock_domain_mismatch"));
    }

    [Fact]
    public void B41_the_baseline_delay_of_890_us_and_more_raises_nothing()
    {
        using var x = Ingest(new FieldTrace());
        Assert.Null(x.Warning("clock_domain_mismatch"));
        Assert.Equal(890_000L, x.Scalar<long>("""
            SELECT k.ts_ns - l.ts_ns FROM kernels k JOIN launches l ON l.run_id = k.run_id AND l.correlation = k.correlation WHERE k.kernel_idx = 0
            """));
    }
}
