using Dapper;
using LlmPipeline.Ingest.Phases;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Phases;

/// <summary>
/// Ingest counts the phase votes of the kernels it still holds in memory (<see cref="PhaseAssignment.KernelsInMemory"/>);
/// resegment reads the stored kernels. Both must give every pass the same phase, source, batch size, token count and
/// outlier flag: here the stored-kernel path is re-run on the ingested run and must change nothing.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PhaseVoteSourcesTests
{
    [Theory]
    [InlineData(StepMarkerTrace.Markers.Vllm)]
    [InlineData(StepMarkerTrace.Markers.SglangWithNestedVllm)]
    [InlineData(StepMarkerTrace.Markers.ProfilerStepOnly)]
    public void Stored_kernel_votes_equal_the_in_memory_votes_of_ingest(StepMarkerTrace.Markers markers)
    {
        using var dir = new TempDir();
        var trace = dir.File("b30.json");
        File.WriteAllText(trace, StepMarkerTrace.Json(markers));
        Ingesting.Run(dir, trace, numLayers: 4);
        AssertStoredVotesAgree(dir, expectedPasses: 4);
    }

    [SkippableTheory]
    [InlineData("tracelens/inference/sglang_prefilldecode/sglang_Qwen3-8B_prefilldecode.json.gz", 1)]
    [InlineData("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz", 1)]
    [InlineData("llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz", 6)] // kernel-name votes only
    public void Stored_kernel_votes_equal_the_in_memory_votes_on_real_serving_traces(string relative, int expectedPasses)
    {
        var trace = SharedData.RequireTrace(relative);
        using var dir = new TempDir();
        Ingesting.Run(dir, trace);
        AssertStoredVotesAgree(dir, expectedPasses);
    }

    private static void AssertStoredVotesAgree(TempDir dir, int expectedPasses)
    {
        const string sql = "SELECT pass_idx, phase, phase_source, batch_size, token_count, is_outlier, outlier_reason FROM passes ORDER BY device, pass_idx";
        using var c = LlmDatabase.OpenForWrite(dir.File("t.db"));
        var atIngest = c.Query<(long, string?, string?, long?, long?, long, string?)>(sql).ToList();
        Assert.Equal(expectedPasses, atIngest.Count);
        Assert.All(atIngest, p => Assert.NotNull(p.Item2)); // every pass got a phase at ingest
        using var tx = c.BeginTransaction();
        PhaseAssignment.Apply(c, tx, 1, null); // the stored kernels this time
        Assert.Equal(atIngest, c.Query<(long, string?, string?, long?, long?, long, string?)>(sql, transaction: tx).ToList());
    }
}
