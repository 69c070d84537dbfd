using LlmPipeline.Ingest.Reading;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Reading;

/// <summary>Known counts of the shared real traces, counted with Python (gzip+json: events = len(traceEvents), kernel = cat.lower() == "kernel").</summary>
public class RealTraceTests
{
    private static (RecordingSink Sink, TraceReadSummary Summary) ReadTrace(string relative, bool keepEvents = false)
    {
        var path = SharedData.RequireTrace(relative);
        var sink = new RecordingSink(keepEvents);
        using var stream = TraceInput.Open(path);
        return (sink, new TraceReader().Read(stream, path, sink));
    }

    [SkippableTheory]
    [Trait("Category", "Corpus")]
    [InlineData("deepseek-profile-data/train.json", 14240, 963, 3132978)]
    [InlineData("hta/amd_trace/mi250_minitoy_train_ROCm6_2_kineto.json.gz", 220, 14, 66897)]
    [InlineData("hta/df_index_resolver/df_index_resolver.json.gz", 216092, 19370, 53733385)]
    [InlineData("hta/large_integer_trace/rank-70.Mar_25_20_48_12.2861.pt.trace.json.gz", 2, 1, 288)]
    [InlineData("hta/ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz", 68692, 4350, 15377659)]
    [InlineData("hta/trace_file_list/inference_rank_1.json.gz", 54, 4, 12327)]
    [InlineData("hta/trace_filter/sampled_rank-0.json.gz", 4855, 1154, 1759570)]
    [InlineData("hta/trace_filter/sampled_rank-1.json.gz", 4720, 1104, 1690403)]
    [InlineData("kineto/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz", 75718, 8772, 35154637)]
    [InlineData("kineto/resnet50_num_workers_0/worker0.pt.trace.json.gz", 82276, 9538, 30106602)]
    [InlineData("llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz", 14604, 2216, 2695032)]
    [InlineData("tracelens/b200/eager_trace.json.gz", 24656, 768, 14243142)]
    [InlineData("tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", 18221, 1465, 8647357)]
    [InlineData("tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz", 2058, 555, 594892)]
    [InlineData("tracelens/inference/sglang_prefilldecode/sglang_Qwen3-8B_prefilldecode.json.gz", 60315, 527, 15250193)]
    [InlineData("tracelens/inference/vllm_decode_full/graph_execution.json.gz", 1993, 425, 498310)]
    [InlineData("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz", 19289, 413, 4524969)]
    [InlineData("tracelens/mi210/gpu_only_trace/gpu_only_trace.json.gz", 2443, 562, 741490)]
    [InlineData("tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", 18090, 1516, 9675686)]
    [InlineData("tracelens/torch_compile_triton/trace.json.gz", 246, 12, 64557)]
    [InlineData("hta/critical_path/alexnet__benchmark_result_2869224_1695835535_trace.json.gz", 1408, 79, 319512)]
    [InlineData("hta/cpu_only/rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz", 30, 0, 25192)]
    [InlineData("hta/triton_example/triton_example.json.gz", 71, 1, 16645)]
    public void Read_matches_manifest_counts(string relative, long events, long kernels, long jsonBytes)
    {
        var (sink, summary) = ReadTrace(relative);
        Assert.Equal(events, summary.EventCount);
        Assert.Equal(kernels, sink.Count(EventCategory.Kernel));
        Assert.Equal(jsonBytes, summary.JsonBytes);
        Assert.False(summary.Truncated);
        Assert.Empty(sink.Warnings);
    }

    [SkippableFact]
    [Trait("Category", "Corpus")]
    public void Read_reads_every_shared_trace_without_exception()
    {
        Skip.IfNot(SharedData.Available, $"skipped: {Path.Combine(SharedData.SharedDir, "traces")} not found (the ../shared folder beside the repository is absent)");
        var files = Directory.GetFiles(Path.Combine(SharedData.SharedDir, "traces"), "*.json*", SearchOption.AllDirectories);
        Assert.Equal(23, files.Length);
        long total = 0;
        foreach (var file in files)
        {
            var sink = new RecordingSink(false);
            using var stream = TraceInput.Open(file);
            total += new TraceReader().Read(stream, file, sink).EventCount;
        }
        Assert.Equal(630293L, total);
    }

    [SkippableFact]
    public void Read_top_level_array_legacy_kineto_trace()
    {
        var (sink, summary) = ReadTrace("kineto/resnet50_num_workers_0/worker0.pt.trace.json.gz");
        Assert.True(summary.TopLevelArray);
        Assert.Empty(sink.Metadata);
        Assert.Equal(9538, sink.Count(EventCategory.Kernel));
        Assert.Equal(82276, summary.EventCount);
    }

    [SkippableFact]
    public void Read_legacy_categories_and_lower_case_external_id()
    {
        var (sink, _) = ReadTrace("hta/trace_file_list/inference_rank_1.json.gz", keepEvents: true);
        var kernels = sink.Events.Where(e => e.Category == EventCategory.Kernel).ToList();
        Assert.Equal(4, kernels.Count);
        Assert.All(kernels, k => Assert.Equal("Kernel", k.Cat));
        Assert.All(kernels, k => Assert.NotNull(k.ExternalId));
        Assert.Contains(sink.Metadata, m => m.Key == "distributedInfo");
    }

    [SkippableFact]
    public void Read_large_integer_trace_skips_big_comms_id()
    {
        var (sink, summary) = ReadTrace("hta/large_integer_trace/rank-70.Mar_25_20_48_12.2861.pt.trace.json.gz", keepEvents: true);
        Assert.Equal(2, summary.EventCount);
        Assert.Equal(1, sink.Count(EventCategory.Kernel));
        Assert.Empty(sink.Warnings);
    }

    [SkippableFact]
    public void Read_ecos_trace_with_string_grids_and_uint64_max()
    {
        var (sink, summary) = ReadTrace("llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz", keepEvents: true);
        var kernels = sink.Events.Where(e => e.Category == EventCategory.Kernel).ToList();
        Assert.Equal(2216, kernels.Count);
        Assert.All(kernels, k => Assert.StartsWith("[", k.Grid));
        Assert.Contains(kernels, k => k.Grid.Contains(", "));
        Assert.Contains(("baseTimeNanoseconds", "1760450468039310885"), sink.Metadata);
        Assert.Equal(14604, summary.EventCount);
    }

    [SkippableFact]
    public void Read_sglang_decode_kernels_have_streams_and_correlations()
    {
        var (sink, _) = ReadTrace("tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz", keepEvents: true);
        var kernels = sink.Events.Where(e => e.Category == EventCategory.Kernel).ToList();
        Assert.Equal(555, kernels.Count);
        Assert.All(kernels, k => Assert.True(k.Stream.HasValue && k.Correlation.HasValue && k.TsNs.HasValue && k.DurNs.HasValue));
        Assert.Equal(2, kernels.Select(k => k.Stream).Distinct().Count());
    }
}
