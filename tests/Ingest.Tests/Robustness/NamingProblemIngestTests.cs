using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Storage;
using Xunit;
using static LlmPipeline.Ingest.Tests.Robustness.Ingested;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>docs/messy-traces.md B20–B24 and B29 (names, nesting, duplicates, pid/tid semantics) through the full ingest.</summary>
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

    private const string Tp1 = "[TP01-DP00-PP00-EP00] ";

    /// <summary>
    /// B24's minimal input: two ranks in one traceEvents array, both GPU pid 0 stream 7, correlations 1001..1003,
    /// CPU pid 4242; rank 1's names prefixed with its label; each kernel's External id names its rank's cpu_op.
    /// </summary>
    private static (string Json, string Repeated) MergedTwoRanks()
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var events = new List<string>();
        foreach (var (prefix, op, shift) in new[] { ("", "aten::mm", 0), (Tp1, "aten::bmm", 3) })
        {
            for (var i = 0; i < 3; i++)
            {
                var corr = 1001 + i;
                var ext = 2001 + i;
                var cpu = (1000 + i * 100 + shift).ToString(ci);
                events.Add($"{{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"{prefix}{op}\",\"pid\":4242,\"tid\":1,\"ts\":{cpu},\"dur\":10,\"args\":{{\"External id\":{ext},\"Input Dims\":[[{i + 1 + shift}]]}}}}");
                events.Add($"{{\"ph\":\"X\",\"cat\":\"cuda_runtime\",\"name\":\"{prefix}cudaLaunchKernel\",\"pid\":4242,\"tid\":1,\"ts\":{(1001 + i * 100 + shift).ToString(ci)},\"dur\":3,\"args\":{{\"correlation\":{corr},\"External id\":{ext}}}}}");
                events.Add($"{{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"{prefix}gemm_{(char)('a' + i)}\",\"pid\":0,\"tid\":7,\"ts\":{(1010 + i * 100 + shift).ToString(ci)},\"dur\":5,\"args\":{{\"device\":0,\"stream\":7,\"correlation\":{corr},\"External id\":{ext}}}}}");
            }
        }
        var repeated = events[5]; // rank 0's second kernel, byte for byte
        events.Add(repeated);
        events.Add($"{{\"ph\":\"X\",\"cat\":\"user_annotation\",\"name\":\"{Tp1}step[DECODE bs=8]\",\"pid\":4242,\"tid\":1,\"ts\":990,\"dur\":400}}");
        events.Add("{\"ph\":\"M\",\"name\":\"process_labels\",\"pid\":0,\"tid\":0,\"args\":{\"labels\":\"GPU 0\"}}");
        return ("{\"distributedInfo\":{\"rank\":0,\"world_size\":1},\"traceEvents\":[" + string.Join(",\n", events) + "]}", repeated);
    }

    [Fact]
    public void Ingest_B24_merged_ranks_become_one_run_per_rank_joined_within_the_rank()
    {
        var (json, repeated) = MergedTwoRanks();
        using var x = Json(json);
        Assert.Equal(["1|0|2|3", "2|1|2|3"], x.Rows("SELECT run_id, rank, world_size, kernel_count FROM runs ORDER BY run_id"));
        Assert.Equal([1L, 2L], x.Outcome.RunIds);
        // Each kernel's op_name and input dims come from its own rank's cpu_op (the External ids 2001..2003 repeat across ranks).
        Assert.Equal(
        [
            "1|0|7|1001|gemm_a|aten::mm|[[1]]", "1|1|7|1002|gemm_b|aten::mm|[[2]]", "1|2|7|1003|gemm_c|aten::mm|[[3]]",
            "2|0|7|1001|gemm_a|aten::bmm|[[4]]", "2|1|7|1002|gemm_b|aten::bmm|[[5]]", "2|2|7|1003|gemm_c|aten::bmm|[[6]]",
        ], x.Rows("""
            SELECT run_id, kernel_idx, stream, correlation, n.name, op_name, replace(input_dims, ' ', '')
            FROM kernels JOIN kernel_names n USING (name_id) ORDER BY run_id, kernel_idx
            """));
        Assert.Equal(["1|1010000", "1|1110000", "1|1210000", "2|1013000", "2|1113000", "2|1213000"],
            x.Rows("SELECT run_id, ts_ns FROM kernels ORDER BY run_id, kernel_idx"));
        Assert.Equal(["1|1001|cudaLaunchKernel", "1|1002|cudaLaunchKernel", "1|1003|cudaLaunchKernel", "2|1001|cudaLaunchKernel", "2|1002|cudaLaunchKernel", "2|1003|cudaLaunchKernel"],
            x.Rows("SELECT run_id, correlation, name FROM launches ORDER BY run_id, correlation"));
        Assert.Equal(["2|step[DECODE bs=8]"], x.Rows("SELECT run_id, name FROM annotations"));
        // The repeated event is rank 0's: dropped there and counted there, at no byte (found after reading).
        Assert.Equal(["1|1"], x.Rows("SELECT run_id, count FROM ingest_warnings WHERE kind = 'duplicate_event'"));
        // Rank 1's 10 labelled events: 3 cpu_ops, 3 launches, 3 kernels, 1 annotation.
        Assert.Equal(["2|10"], x.Rows("SELECT run_id, count FROM ingest_warnings WHERE kind = 'rank_prefix_stripped'"));
        Assert.Contains("[TP01-DP00-PP00-EP00]", x.Scalar<string>("SELECT detail FROM ingest_warnings WHERE run_id = 2 AND kind = 'rank_prefix_stripped'"));
        Assert.Equal("merged multi-rank trace: this run holds the events labelled [TP01-DP00-PP00-EP00]; rank 1 is the label's TP number",
            x.Scalar<string>("SELECT detail FROM ingest_warnings WHERE run_id = 2 AND kind = 'rank_from_label'"));
        Assert.Contains("without a rank label; rank 0", x.Scalar<string>("SELECT detail FROM ingest_warnings WHERE run_id = 1 AND kind = 'rank_from_label'"));
        // One capture holds both runs; the file's metadata goes to both.
        Assert.Equal(["1|t.json (merged ranks)|2"], x.Rows("SELECT capture_id, name, world_size FROM captures"));
        Assert.Equal(["1|1", "2|1"], x.Rows("SELECT run_id, capture_id FROM runs ORDER BY run_id"));
        // One file, one clock: no collective alignment that would hide the ranks' launch skew.
        Assert.Equal(["0|one merged file: the ranks share its clock", "0|one merged file: the ranks share its clock"],
            x.Rows("SELECT time_offset_ns, time_alignment FROM runs ORDER BY run_id"));
        Assert.Equal(2L, x.Scalar<long>("SELECT count(*) FROM trace_metadata WHERE key = 'distributedInfo'"));
        // Rank 0: 9 events + the repeat + the process_labels M event; rank 1: 9 events + the annotation + the M event.
        Assert.Equal(["1|11", "2|11"], x.Rows("SELECT run_id, event_count FROM runs ORDER BY run_id"));
        Assert.Equal(x.Scalar<long>("SELECT first_byte_offset FROM ingest_warnings WHERE run_id = 2 AND kind = 'rank_prefix_stripped'"),
            Offset(json, "{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"[TP01"));
        Assert.NotEqual(Offset(json, repeated), json.LastIndexOf(repeated, StringComparison.Ordinal));
    }

    [Fact]
    public void Ingest_B24_merged_file_is_found_already_present_by_its_sha256()
    {
        var (json, _) = MergedTwoRanks();
        using var x = Json(json);
        var again = TraceIngestor.Ingest(new IngestRequest { TracePath = x.TracePath, DbPath = x.Db });
        Assert.True(again.AlreadyPresent);
        Assert.Equal(1L, again.RunId);
        Assert.Equal(2L, x.Scalar<long>("SELECT count(*) FROM runs"));
    }

    [Fact]
    public void Ingest_B24_labels_that_give_every_rank_use_their_full_rank_and_drop_unlabelled_cpu_events()
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var events = new List<string> { CpuOp("unlabelled_op", "900", "5") };
        var labels = new[] { "[TP00-DP00-PP00-EP00] ", "[TP01-DP00-PP00-EP00] ", "[TP00-DP01-PP00-EP00] ", "[TP01-DP01-PP00-EP00] " };
        for (var r = 0; r < labels.Length; r++)
        {
            events.Add(CpuOp(labels[r] + "aten::mm", (1000 + r).ToString(ci), "5"));
            events.Add(Kernel(labels[r] + "gemm", (1010 + r).ToString(ci), "2", 1));
        }
        using var x = Json(Trace([.. events]));
        Assert.Equal(["0|1", "1|1", "2|1", "3|1"], x.Rows("SELECT rank, kernel_count FROM runs ORDER BY rank"));
        Assert.Equal(["0|1010000", "1|1011000", "2|1012000", "3|1013000"],
            x.Rows("SELECT r.rank, k.ts_ns FROM kernels k JOIN runs r USING (run_id) ORDER BY r.rank"));
        Assert.Contains("full rank TP + 2 x DP", x.Scalar<string>("SELECT detail FROM ingest_warnings w JOIN runs r USING (run_id) WHERE r.rank = 3 AND kind = 'rank_from_label'"));
        Assert.Equal(["1|1", "1|1", "1|1", "1|1"], x.Rows("SELECT count, first_byte_offset IS NULL FROM ingest_warnings WHERE kind = 'rank_unlabelled_events'"));
    }

    [Fact]
    public void Ingest_B24_more_ranks_than_one_merge_takes_fail_cleanly_and_store_nothing()
    {
        var events = Enumerable.Range(0, RunMerger.MaxAttachedStagings + 1)
            .Select(r => Kernel($"[TP{r:D2}] gemm", (1000 + r).ToString(System.Globalization.CultureInfo.InvariantCulture), "2", 1)).ToArray();
        var ex = Failure(System.Text.Encoding.UTF8.GetBytes(Trace(events)));
        Assert.IsType<IngestException>(ex);
        Assert.Contains("merged trace of 11 ranks", ex.Message);
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
    public void Ingest_B29_kernels_without_args_device_take_the_gpu_of_their_pid_from_process_labels_given_after_them()
    {
        // roctracer pids are offset: pid 2 is GPU 0. The M events come last, as Kineto writes them.
        var k1 = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"Cijk_a\",\"pid\":2,\"tid\":0,\"ts\":1000,\"dur\":2,\"args\":{\"stream\":0}}";
        var k2 = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"Cijk_b\",\"pid\":2,\"tid\":0,\"ts\":1004,\"dur\":2,\"args\":{\"stream\":0}}";
        var other = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"Cijk_c\",\"pid\":5,\"tid\":0,\"ts\":1002,\"dur\":2,\"args\":{\"stream\":0}}";
        var copy = "{\"ph\":\"X\",\"cat\":\"gpu_memcpy\",\"name\":\"Memcpy HtoD\",\"pid\":2,\"tid\":0,\"ts\":1001,\"dur\":1,\"args\":{\"stream\":0,\"bytes\":64}}";
        var labels = "{\"ph\":\"M\",\"name\":\"process_labels\",\"pid\":2,\"tid\":0,\"args\":{\"labels\":\"GPU 0\"}}";
        var name = "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":2,\"tid\":0,\"args\":{\"name\":\"python3\"}}";
        var json = Trace(k1, copy, other, k2, name, labels);
        using var x = Json(json);
        Assert.Equal(["0|0|0|Cijk_a", "0|1|0|Cijk_b", "5|0|0|Cijk_c"],
            x.Rows("SELECT device, kernel_idx, stream, n.name FROM kernels JOIN kernel_names n USING (name_id) ORDER BY device, kernel_idx"));
        Assert.Equal(["0|0|64"], x.Rows("SELECT device, stream, bytes FROM memory_ops"));
        Assert.Equal((2L, (long?)Offset(json, k1)), x.Warning("device_from_process_labels"));
        Assert.Contains("pid 2 placed on device 0, as its process_labels 'GPU 0' says", x.WarningDetail("device_from_process_labels"));
    }

    [Fact]
    public void Ingest_B29_process_name_gpu_text_places_kernels_and_merges_them_with_args_device_kernels()
    {
        var k1 = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k_label\",\"pid\":9,\"tid\":3,\"ts\":1000,\"dur\":2,\"args\":{}}";
        var k2 = Kernel("k_device", "1001", "2", 7, stream: 3, device: 1, pid: "1");
        var name = "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":9,\"args\":{\"name\":\"GPU 1\"}}";
        using var x = Json(Trace(name, k1, k2));
        Assert.Equal(["1|0|3|k_label", "1|1|3|k_device"],
            x.Rows("SELECT device, kernel_idx, stream, n.name FROM kernels JOIN kernel_names n USING (name_id) ORDER BY kernel_idx"));
        Assert.Contains("process_name 'GPU 1'", x.WarningDetail("device_from_process_labels"));
    }

    [Fact]
    public void Ingest_duplicate_runtime_launches_are_dropped_and_counted()
    {
        var launch = Launch(1, "1000");
        var json = Trace(launch, launch, Launch(2, "1010"), Kernel("gemm_a", "1005", "2", 1), Kernel("gemm_b", "1015", "2", 2), launch);
        using var x = Json(json);
        Assert.Equal(["1|1000000|5001", "2|1010000|5002"], x.Rows("SELECT correlation, ts_ns, external_id FROM launches ORDER BY correlation"));
        Assert.Equal((2L, (long?)null), x.Warning("duplicate_event"));
        Assert.Contains("2 row(s) of launches", x.WarningDetail("duplicate_event"));
        Assert.Null(x.Warning("launches_without_kernel"));
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
