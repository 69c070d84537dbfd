using Xunit;
using static LlmPipeline.Ingest.Tests.Robustness.Ingested;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>field-problems.md sections D, E and B29 (names, nesting, duplicates, pid/tid semantics) through the full ingest.</summary>
public sealed class NamingProblemIngestTests
{
    private static readonly string[] CommNames =
    [
        "ncclKernel_AllReduce_RING_LL_Sum_float(ncclWorkElem)", "ncclDevKernel_AllReduce_Sum_f32_RING_LL(ncclDevComm*)",
        "nccldevkernel_allreduce_sum_bf16_ring_ll", "ncclDevKernel_Generic(ncclDevComm*, channelMasks, ncclWork*)",
        "ncclDevKernel_AllGather_RING", "void vllm::cross_device_reduce_1stage<__nv_bfloat16, 8>(RankData*)",
        "cross_device_reduce_2stage<bf16, 4>",
    ];

    private static readonly string[] ComputeNames =
    [
        "void cutlass::device_kernel<flash::enable_sm90_or_later<flash::FlashAttnFwdSm90<int>>>(Params)",
        "void flashinfer::PrefillWithKVCacheKernel<int>", "fused_moe_kernel", "_matmul_ogs_NNT_bf16xbf16xmxfp4_16x256x128x1_swiglu",
        "ck::moe_mxgemm_kernel", "nvjet_tst_192x176_64x4_1x2_h_bz_coopB_T", "Cijk_Alik_Bljk_HB_MT128x128x32_MI32x32x8",
        "void flashinfer::norm::RMSNormKernel<8u, __nv_bfloat16>(T*)", "triton_poi_fused_add_copy_0",
    ];

    private static string NamesTrace(string[] names, int stream) =>
        Trace(names.Select((n, i) => Kernel(n.Replace("\"", "\\\""), (1000 + i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "3", i + 1, stream)).ToArray());

    [Fact]
    public void Ingest_B20_comm_kernel_names_are_stored_verbatim_with_a_category()
    {
        using var x = Json(NamesTrace(CommNames, 13));
        Assert.Equal(CommNames, x.Rows("SELECT n.name FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx").ToArray());
        Assert.Equal(7L, x.Scalar<long>("SELECT count(*) FROM kernels WHERE stream = 13 AND category <> ''"));
        // Every comm spelling lands in a comm category (the rule set itself is analysis's and tested there).
        Assert.Equal(7L, x.Scalar<long>("SELECT count(*) FROM kernels k JOIN category_rules r ON r.run_id = k.run_id AND r.category = k.category WHERE r.category_group = 'comm' GROUP BY k.run_id"));
    }

    [Fact]
    public void Ingest_B21_attention_moe_gemm_names_are_stored_verbatim_with_a_category()
    {
        using var x = Json(NamesTrace(ComputeNames, 7));
        Assert.Equal(ComputeNames, x.Rows("SELECT n.name FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx").ToArray());
        Assert.Equal(["9|3000"], x.Rows("SELECT count(*), min(dur_ns) FROM kernels WHERE category IS NOT NULL"));
    }

    [Fact]
    public void Ingest_B23_crossing_cpu_spans_are_stored_as_written()
    {
        var json = Trace(
            "{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"ProfilerStep#5\",\"pid\":100,\"tid\":100,\"ts\":1000,\"dur\":1000}",
            "{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"ProfilerStep#6\",\"pid\":100,\"tid\":100,\"ts\":2000,\"dur\":1000}",
            "{\"ph\":\"X\",\"cat\":\"user_annotation\",\"name\":\"forward\",\"pid\":100,\"tid\":100,\"ts\":1005,\"dur\":1000}",
            "{\"ph\":\"X\",\"cat\":\"python_function\",\"name\":\"model.py(10): run\",\"pid\":100,\"tid\":100,\"ts\":1990,\"dur\":30}",
            Launch(1, "1500"), Kernel("gemm_a", "1510", "5", 1), Launch(2, "2500"), Kernel("gemm_b", "2510", "5", 2));
        using var x = Json(json);
        Assert.Equal(["ProfilerStep#5|1000000|1000000", "forward|1005000|1000000", "ProfilerStep#6|2000000|1000000"],
            x.Rows("SELECT name, ts_ns, dur_ns FROM annotations ORDER BY ts_ns"));
        Assert.Equal(["1510000|1", "2510000|2"], x.Rows("SELECT ts_ns, correlation FROM kernels ORDER BY kernel_idx"));
        Assert.Equal(["1000000|3000000"], x.Rows("SELECT trace_start_ns, trace_end_ns FROM runs"));
    }

    [Fact]
    public void Ingest_B24_merged_ranks_strip_name_prefixes_and_drop_exact_duplicates()
    {
        var events = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            events.Add(Kernel("gemm_a", (1000 + i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "2", 1001 + i));
            events.Add(Kernel("[TP01-DP00-PP00-EP00] gemm_a", (1003 + i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "2", 1001 + i));
        }
        events.Add(events[2]); // byte-for-byte repeat
        events.Add("{\"ph\":\"X\",\"cat\":\"user_annotation\",\"name\":\"[TP01-DP00-PP00-EP00] step[DECODE bs=8]\",\"pid\":4242,\"tid\":1,\"ts\":990,\"dur\":50}");
        var json = Trace([.. events]);
        using var x = Json(json);
        Assert.Equal(["gemm_a"], x.Rows("SELECT name FROM kernel_names"));
        Assert.Equal(6L, x.Scalar<long>("SELECT count(*) FROM kernels"));
        Assert.Equal(["1000000", "1003000", "1010000", "1013000", "1020000", "1023000"], x.Rows("SELECT ts_ns FROM kernels ORDER BY kernel_idx"));
        Assert.Equal((1L, (long?)null), x.Warning("duplicate_event"));
        Assert.Equal(4L, x.Warning("rank_prefix_stripped")!.Value.Count);
        Assert.Contains("[TP01-DP00-PP00-EP00]", x.WarningDetail("rank_prefix_stripped"));
        Assert.Equal("step[DECODE bs=8]", x.Scalar<string>("SELECT name FROM annotations"));
    }

    [Fact]
    public void Ingest_B29_device_and_stream_come_from_args_category_and_stream_text()
    {
        var rocm = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"Cijk_rocm\",\"pid\":2,\"tid\":0,\"ts\":1000,\"dur\":2,\"args\":{\"device\":0,\"stream\":0}}";
        var cpuZero = "{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"aten::add\",\"pid\":0,\"tid\":0,\"ts\":1001,\"dur\":1}";
        var stream7 = "{\"ph\":\"X\",\"cat\":\"Kernel\",\"name\":\"old_kernel\",\"pid\":0,\"tid\":\"stream 7\",\"ts\":1010,\"dur\":2,\"args\":{}}";
        var labels = "{\"ph\":\"M\",\"name\":\"process_labels\",\"pid\":2,\"args\":{\"labels\":\"GPU 0\"}}";
        using var x = Json(Trace(labels, rocm, cpuZero, stream7));
        Assert.Equal(["0|0|Cijk_rocm", "0|7|old_kernel"], x.Rows("SELECT device, stream, n.name FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx"));
    }

    [Fact]
    public void Ingest_B29_legacy_array_with_cuda_functions_pid_stores_kernels_on_device_0()
    {
        var k = "{\"ph\":\"X\",\"cat\":\"Kernel\",\"name\":\"legacy_gemm\",\"pid\":\"CUDA functions\",\"tid\":\"stream 7\",\"ts\":1000,\"dur\":2}";
        var op = "{\"ph\":\"X\",\"cat\":\"Operator\",\"name\":\"aten::mm\",\"pid\":\"CPU functions\",\"tid\":\"thread 1\",\"ts\":999,\"dur\":4}";
        using var x = Json("[" + op + "," + k + "]");
        Assert.Equal(["0|7|1000000|2000"], x.Rows("SELECT device, stream, ts_ns, dur_ns FROM kernels"));
        Assert.Equal(["999000|1003000"], x.Rows("SELECT trace_start_ns, trace_end_ns FROM runs"));
    }
}
