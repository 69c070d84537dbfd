using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Reading;
using static LlmPipeline.Ingest.Tests.Robustness.Ingested;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>docs/messy-traces.md, 'Timestamps and durations' (B14–B18) and the issue's unusable events, through the full ingest.</summary>
[Trait("Category", "Slow")]
public sealed class TimeProblemIngestTests
{
    [Fact]
    public void Ingest_B14_string_ts_and_dur_are_exact_and_warned_once_per_file()
    {
        var k1 = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k1\",\"pid\":0,\"tid\":7,\"ts\":\"1747100000123456.789\",\"dur\":\"3.2\",\"args\":{\"device\":0,\"stream\":7,\"correlation\":42,\"External id\":9}}";
        var k2 = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k2\",\"pid\":0,\"tid\":7,\"ts\":\"1747100000123466\",\"dur\":\"1\",\"args\":{\"device\":0,\"stream\":7,\"correlation\":43}}";
        var op = CpuOp("aten::mm", "1747100000123450", "5", 9);
        var s = "{\"ph\":\"s\",\"cat\":\"ac2g\",\"name\":\"ac2g\",\"id\":17471000001234567,\"pid\":100,\"tid\":100,\"ts\":1747100000123451}";
        var f = "{\"ph\":\"f\",\"cat\":\"ac2g\",\"name\":\"ac2g\",\"id\":\"17471000001234567\",\"bp\":\"e\",\"pid\":0,\"tid\":7,\"ts\":1747100000123456.789}";
        var json = Trace(op, s, k1, f, k2);
        using var x = Json(json);
        Assert.Equal(["1747100000123456789|3200|42|aten::mm", "1747100000123466000|1000|43|null"],
            x.Rows("SELECT ts_ns, dur_ns, correlation, op_name FROM kernels ORDER BY kernel_idx"));
        Assert.Equal((1L, (long?)Offset(json, "\"1747100000123456.789\"")), x.Warning(WarningCatalog.NumericString));
        // Flow ids beyond 2^53 stay exact (never through a double).
        var (sink, _) = Reading.ReadHelper.Read(json);
        Assert.Equal([17471000001234567L, 17471000001234567L], sink.Events.Where(e => e.Ph is 's' or 'f').Select(e => e.Id!.Value).ToArray());
    }

    [Fact]
    public void Ingest_B15_relative_ts_with_base_time_and_absolute_ts_give_the_same_wall_clock_and_negative_ts_is_kept()
    {
        var relative = "{\"baseTimeNanoseconds\":1700000000000000000,\"traceEvents\":["
            + Kernel("gemm_a", "10.5", "2", 1) + "," + Kernel("gemm_b", "20.0", "2", 2) + "," + CpuOp("aten::mm", "-660.0", "5") + "]}";
        var absolute = Trace(Kernel("gemm_a", "1700000000000010.5", "2", 1), Kernel("gemm_b", "1700000000000020.0", "2", 2), CpuOp("aten::mm", "1699999999999340.0", "5"));
        using var a = Json(relative);
        using var b = Json(absolute);
        Assert.Equal(["10500", "20000"], a.Rows("SELECT ts_ns FROM kernels ORDER BY kernel_idx"));
        Assert.Equal(["1700000000000000000|-660000|22000"], a.Rows("SELECT base_time_ns, trace_start_ns, trace_end_ns FROM runs"));
        Assert.Equal(["null|1699999999999340000|1700000000000022000"], b.Rows("SELECT base_time_ns, trace_start_ns, trace_end_ns FROM runs"));
        const string wall = "SELECT coalesce(r.base_time_ns, 0) + k.ts_ns FROM kernels k JOIN runs r USING (run_id) ORDER BY kernel_idx";
        Assert.Equal(["1700000000000010500", "1700000000000020000"], a.Rows(wall));
        Assert.Equal(a.Rows(wall), b.Rows(wall));
        Assert.Equal((1L, (long?)Offset(relative, CpuOp("aten::mm", "-660.0", "5"))), a.Warning("negative_ts"));
        Assert.Contains("relative to baseTimeNanoseconds", a.WarningDetail("negative_ts"));
        Assert.Null(b.Warning("negative_ts"));
    }

    [Fact]
    public void Ingest_B16_ts_0_dur_0_kernel_is_set_aside_and_excluded_from_trace_start()
    {
        var zero = Kernel("gemm_b", "0", "0", 2);
        var json = Trace(Launch(1, "1614800519473000"), Launch(2, "1614800519473010"), Launch(3, "1614800519473020"),
            Kernel("gemm_a", "1614800519473100", "5", 1), zero, Kernel("gemm_c", "1614800519473120", "5", 3));
        using var x = Json(json);
        Assert.Equal(["gemm_a|1614800519473100000", "gemm_c|1614800519473120000"],
            x.Rows("SELECT n.name, ts_ns FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx"));
        Assert.Equal((1L, (long?)Offset(json, zero)), x.Warning("kernel_zero_ts"));
        Assert.Equal(["1614800519473000000|1614800519473125000|2"], x.Rows("SELECT trace_start_ns, trace_end_ns, kernel_count FROM runs"));
        // The set-aside kernel existed: its launch is not reported as a launch without a kernel.
        Assert.Null(x.Warning("launches_without_kernel"));
    }

    [Fact]
    public void Ingest_B16_kernel_far_before_the_cpu_events_is_set_aside_and_counted_at_its_offset()
    {
        // 2 h before the first CPU event (7.2e9 µs), with a valid correlation whose launch is normal.
        var far = Kernel("gemm_b", "1614793319473010", "5", 2);
        var json = Trace(Launch(1, "1614800519473000"), Launch(2, "1614800519473010"), Launch(3, "1614800519473020"),
            Kernel("gemm_a", "1614800519473100", "5", 1), far, Kernel("gemm_c", "1614800519473120", "5", 3));
        using var x = Json(json);
        Assert.Equal(["7|gemm_a|1614800519473100000", "7|gemm_c|1614800519473120000"],
            x.Rows("SELECT stream, n.name, ts_ns FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx"));
        Assert.Equal((1L, (long?)Offset(json, far)), x.Warning("kernel_far_outside_trace"));
        Assert.Contains("ts 1614793319473010000 ns", x.WarningDetail("kernel_far_outside_trace"));
        Assert.Equal(["1614800519473000000|1614800519473125000|2"], x.Rows("SELECT trace_start_ns, trace_end_ns, kernel_count FROM runs"));
        Assert.Null(x.Warning("launches_without_kernel"));
    }

    [Fact]
    public void Ingest_B16_kernel_far_after_the_cpu_events_or_at_ts_0_with_a_dur_is_set_aside()
    {
        var late = Kernel("gemm_late", "1614804119473200", "5", 3); // 1 h + 187 µs after the last CPU event ends
        var zero = Kernel("gemm_zero", "0", "4", 4);
        var json = Trace(Launch(1, "1614800519473000"), Launch(2, "1614800519473010"),
            Kernel("gemm_a", "1614800519473100", "5", 1), late, zero, Kernel("gemm_c", "1614800519473120", "5", 2));
        using var x = Json(json);
        Assert.Equal(["gemm_a", "gemm_c"], x.Rows("SELECT n.name FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx"));
        Assert.Equal((2L, (long?)Offset(json, late)), x.Warning("kernel_far_outside_trace"));
        Assert.Equal(["1614800519473000000|1614800519473125000"], x.Rows("SELECT trace_start_ns, trace_end_ns FROM runs"));
    }

    [Fact]
    public void Ingest_B16_gpu_only_trace_sets_aside_ts_0_kernels_and_keeps_a_kernel_within_the_hour()
    {
        var zero = Kernel("gemm_zero", "0", "4", 2);
        var json = Trace(Kernel("gemm_a", "1614800519473100", "5", 1), zero, Kernel("gemm_c", "1614800519473120", "5", 3));
        using var x = Json(json);
        Assert.Equal(["1614800519473100000", "1614800519473120000"], x.Rows("SELECT ts_ns FROM kernels ORDER BY kernel_idx"));
        Assert.Equal((1L, (long?)Offset(json, zero)), x.Warning("kernel_far_outside_trace"));
    }

    [Fact]
    public void Ingest_B18_unbalanced_begin_end_and_x_without_dur_never_throw_and_are_counted()
    {
        static string Be(char ph, string name, string ts, int tid) =>
            $"{{\"ph\":\"{ph}\",\"cat\":\"user_annotation\"," + (name.Length > 0 ? $"\"name\":\"{name}\"," : "") + $"\"pid\":100,\"tid\":{tid},\"ts\":{ts}}}";
        var json = Trace(
            Be('B', "A", "1000", 200), Be('B', "B", "1001", 200), Be('B', "C", "1002", 200), Be('E', "", "1003", 200), Be('E', "", "1004", 200),
            Be('E', "", "1010", 201),
            Be('E', "", "1020", 202), Be('B', "D", "1015", 202),
            "{\"ph\":\"X\",\"cat\":\"user_annotation\",\"name\":\"no_dur\",\"pid\":100,\"tid\":203,\"ts\":1005}",
            Kernel("gemm_a", "1006", "2", 1));
        using var x = Json(json);
        Assert.Equal(["A|1000000|null", "B|1001000|3000", "C|1002000|1000", "no_dur|1005000|null", "D|1015000|5000"],
            x.Rows("SELECT name, ts_ns, dur_ns FROM annotations ORDER BY ts_ns"));
        Assert.Equal(1L, x.Warning("unfinished_begin")!.Value.Count);
        Assert.Equal(1L, x.Warning("unmatched_end")!.Value.Count);
        Assert.Equal(1L, x.Warning("event_without_dur")!.Value.Count);
        Assert.Equal(1L, x.Scalar<long>("SELECT count(*) FROM kernels"));
    }

    [Fact]
    public void Ingest_unusable_kernels_are_set_aside_counted_and_never_stretch_the_trace()
    {
        var noTs = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"no_ts\",\"pid\":0,\"tid\":7,\"dur\":2,\"args\":{\"device\":0,\"stream\":7}}";
        var negative = Kernel("negative", "1020", "-5");
        var runaway = Kernel("runaway", "1030", "999999999");
        var zeroDur = Kernel("zero_dur", "1040", "0");
        var json = Trace(Kernel("a", "1000", "2"), noTs, negative, Kernel("b", "1010", "2"), runaway, zeroDur, Kernel("c", "1050", "2"));
        using var x = Json(json);
        Assert.Equal(["a|1000000|2000", "b|1010000|2000", "zero_dur|1040000|0", "c|1050000|2000"],
            x.Rows("SELECT n.name, ts_ns, dur_ns FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx"));
        Assert.Equal((1L, (long?)Offset(json, noTs)), x.Warning("kernel_without_ts"));
        Assert.Equal((1L, (long?)Offset(json, negative)), x.Warning("kernel_negative_dur"));
        Assert.Equal(1L, x.Warning("kernel_runaway_dur")!.Value.Count);
        Assert.Equal(["1000000|1052000|4"], x.Rows("SELECT trace_start_ns, trace_end_ns, kernel_count FROM runs"));
    }

    [Fact]
    public void Ingest_a_cpu_event_with_a_runaway_dur_does_not_stretch_the_trace_end()
    {
        var json = Trace(CpuOp("aten::mm", "1000", "5"), CpuOp("aten::huge", "1001", "99999999"), Kernel("a", "1002", "2"), Kernel("b", "1010", "2"));
        using var x = Json(json);
        Assert.Equal(["1000000|1012000"], x.Rows("SELECT trace_start_ns, trace_end_ns FROM runs"));
        Assert.Equal((1L, (long?)Offset(json, CpuOp("aten::huge", "1001", "99999999"))), x.Warning("event_runaway_dur"));
    }
}
