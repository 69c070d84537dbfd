using LlmPipeline.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>
/// Fuzzing (issue 7): mutated real traces never escape as an unhandled exception; a failed case leaves the database
/// unchanged. Fixed seeds, so a failure names a case that reproduces.
/// </summary>
public sealed class FuzzIngestTests(ITestOutputHelper output)
{
    /// <summary>The real traces under 1 MB compressed in ../shared/traces.</summary>
    private static readonly string[] SharedTraces =
    [
        "hta/large_integer_trace/rank-70.Mar_25_20_48_12.2861.pt.trace.json.gz",
        "hta/trace_file_list/inference_rank_1.json.gz",
        "hta/triton_example/triton_example.json.gz",
        "hta/cpu_only/rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz",
        "tracelens/torch_compile_triton/trace.json.gz",
        "hta/amd_trace/mi250_minitoy_train_ROCm6_2_kineto.json.gz",
        "hta/critical_path/alexnet__benchmark_result_2869224_1695835535_trace.json.gz",
        "tracelens/inference/vllm_decode_full/graph_execution.json.gz",
        "tracelens/mi210/gpu_only_trace/gpu_only_trace.json.gz",
        "tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz",
        "hta/trace_filter/sampled_rank-1.json.gz",
        "hta/trace_filter/sampled_rank-0.json.gz",
        "llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz",
        "tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz",
        "tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz",
        "tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz",
        "tracelens/b200/eager_trace.json.gz",
    ];

    [SkippableFact]
    [Trait("Category", "Corpus")]
    public void Ingest_of_mutated_shared_traces_never_throws_unhandled_and_failed_cases_leave_the_database_unchanged()
    {
        var traces = SharedTraces.Select(SharedData.RequireTrace).ToList();
        var result = TraceFuzzer.Run(traces, casesPerTrace: 30, seed: 20240607);
        Report(result);
        Assert.True(result.Cases >= 500, $"only {result.Cases} cases");
        Assert.True(result.Problems.Count == 0, $"{result.Problems.Count} problem(s):\n{string.Join("\n", result.Problems.Take(5))}");
        Assert.True(result.Ingested > 0 && result.Failed > 0, "the mutations should produce both repairable and fatal cases");
    }

    [Fact]
    [Trait("Category", "Corpus")]
    public void Ingest_of_mutated_repository_traces_never_throws_unhandled_and_failed_cases_leave_the_database_unchanged()
    {
        var traces = new[]
        {
            "hta_legacy/inference_rank_1.json.gz",
            "sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz",
            "vllm_gpt_oss_20b_decode_full/graph_execution.json.gz",
        }.Select(t => SharedData.RepoFile(Path.Combine("tests", "data", t))).ToList();
        var result = TraceFuzzer.Run(traces, casesPerTrace: 40, seed: 7);
        Report(result);
        Assert.Equal(120, result.Cases);
        Assert.True(result.Problems.Count == 0, $"{result.Problems.Count} problem(s):\n{string.Join("\n", result.Problems.Take(5))}");
    }

    private void Report(TraceFuzzer.Outcome r) =>
        output.WriteLine($"{r.Cases} cases: {r.Ingested} ingested, {r.Failed} failed cleanly ({string.Join(", ", r.FailureKinds.Select(k => $"{k.Key} {k.Value}"))}); problems: {r.Problems.Count}\n{string.Join("\n", r.Problems.Take(20))}");
}
