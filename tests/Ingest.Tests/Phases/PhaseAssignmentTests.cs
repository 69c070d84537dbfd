using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Phases;

/// <summary>Issue 4 "phase of every pass": step markers (B30), attention signatures, real serving traces.</summary>
public sealed class PhaseAssignmentTests
{
    [Theory]
    [InlineData(StepMarkerTrace.Markers.Vllm)]
    [InlineData(StepMarkerTrace.Markers.SglangWithNestedVllm)]
    [InlineData(StepMarkerTrace.Markers.ProfilerStepOnly)]
    public void Apply_gives_the_same_four_passes_and_phases_for_every_marker_grammar(StepMarkerTrace.Markers markers)
    {
        using var dir = new TempDir();
        var trace = dir.File("b30.json");
        File.WriteAllText(trace, StepMarkerTrace.Json(markers));
        Ingesting.Run(dir, trace, numLayers: 4);
        Assert.Equal(4, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(new long[] { 4, 4, 4, 4 }, Ingesting.Longs(dir, "SELECT layer_count FROM passes ORDER BY pass_idx"));
        Assert.Equal(StepMarkerTrace.Phases, Strings(dir, "SELECT phase FROM passes ORDER BY pass_idx"));
        if (markers == StepMarkerTrace.Markers.ProfilerStepOnly)
        {
            Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes WHERE batch_size IS NOT NULL"));
            Assert.Equal("kernel 'flashinfer::BatchPrefillWithRaggedKVCacheKernel'", Ingesting.Scalar<string>(dir, "SELECT phase_source FROM passes WHERE pass_idx = 0"));
            Assert.StartsWith("kernels ", Ingesting.Scalar<string>(dir, "SELECT phase_source FROM passes WHERE pass_idx = 2"));
        }
        else
        {
            // batch sizes from the annotations; pass 1's nested marker (bs 31) loses to the outer one (bs 30)
            Assert.Equal(StepMarkerTrace.BatchSizes.Select(b => (long)b).ToArray(), Ingesting.Longs(dir, "SELECT batch_size FROM passes ORDER BY pass_idx"));
            Assert.StartsWith("user_annotation '", Ingesting.Scalar<string>(dir, "SELECT phase_source FROM passes WHERE pass_idx = 1"));
        }
        if (markers == StepMarkerTrace.Markers.SglangWithNestedVllm)
        {
            Assert.Equal(512L, Ingesting.Scalar<long>(dir, "SELECT token_count FROM passes WHERE pass_idx = 0"));
            Assert.Equal("user_annotation 'step[DECODE bs=30]'", Ingesting.Scalar<string>(dir, "SELECT phase_source FROM passes WHERE pass_idx = 1"));
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void Apply_sglang_decode_step_is_decode_with_batch_32()
    {
        var (dir, _) = IngestShared("tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz");
        using (dir)
        {
            Assert.Equal("decode", Ingesting.Scalar<string>(dir, "SELECT phase FROM passes"));
            Assert.Equal(32L, Ingesting.Scalar<long>(dir, "SELECT batch_size FROM passes"));
            Assert.StartsWith("user_annotation 'execute_32_context_0(", Ingesting.Scalar<string>(dir, "SELECT phase_source FROM passes"));
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void Apply_sglang_extend_step_is_prefill_with_batch_15_and_15360_tokens()
    {
        var (dir, _) = IngestShared("tracelens/inference/sglang_prefilldecode/sglang_Qwen3-8B_prefilldecode.json.gz");
        using (dir)
        {
            Assert.Equal("prefill", Ingesting.Scalar<string>(dir, "SELECT phase FROM passes"));
            Assert.Equal(15L, Ingesting.Scalar<long>(dir, "SELECT batch_size FROM passes"));
            Assert.Equal(15360L, Ingesting.Scalar<long>(dir, "SELECT token_count FROM passes"));
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void Apply_vllm_full_graph_decode_is_decode_through_the_graph_launch_correlation()
    {
        var (dir, _) = IngestShared("tracelens/inference/vllm_decode_full/graph_execution.json.gz");
        using (dir)
        {
            Assert.Equal("decode", Ingesting.Scalar<string>(dir, "SELECT phase FROM passes"));
            Assert.Equal(32L, Ingesting.Scalar<long>(dir, "SELECT batch_size FROM passes"));
            Assert.Equal(1L, Ingesting.Scalar<long>(dir, "SELECT count(DISTINCT correlation) FROM kernels WHERE pass_idx = 0 AND role = 'layer'"));
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void Apply_vllm_piecewise_step_with_context_and_generation_is_mixed()
    {
        var (dir, _) = IngestShared("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz");
        using (dir)
        {
            Assert.Equal("mixed", Ingesting.Scalar<string>(dir, "SELECT phase FROM passes"));
            Assert.Equal(9L + 37, Ingesting.Scalar<long>(dir, "SELECT batch_size FROM passes"));
            Assert.Equal(8192L, Ingesting.Scalar<long>(dir, "SELECT token_count FROM passes"));
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void Apply_vllm_eager_b200_step_is_prefill()
    {
        var (dir, _) = IngestShared("tracelens/b200/eager_trace.json.gz");
        using (dir)
        {
            Assert.Equal("prefill", Ingesting.Scalar<string>(dir, "SELECT phase FROM passes"));
            Assert.Equal(1L, Ingesting.Scalar<long>(dir, "SELECT batch_size FROM passes"));
            Assert.Equal(888L, Ingesting.Scalar<long>(dir, "SELECT token_count FROM passes"));
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void Apply_rtp_llm_trace_without_annotations_gives_prefill_then_five_decode_from_attention_kernels()
    {
        var (dir, _) = IngestShared("llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz");
        using (dir)
        {
            Assert.Equal(["prefill", "decode", "decode", "decode", "decode", "decode"], Strings(dir, "SELECT phase FROM passes ORDER BY pass_idx"));
            Assert.StartsWith("kernel 'fmha_v2_flash_attention", Ingesting.Scalar<string>(dir, "SELECT phase_source FROM passes WHERE pass_idx = 0"));
            Assert.Contains("masked_multihead_attention", Ingesting.Scalar<string>(dir, "SELECT phase_source FROM passes WHERE pass_idx = 1"), StringComparison.Ordinal);
            Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes WHERE batch_size IS NOT NULL"));
        }
    }

    private static (TempDir, string) IngestShared(string relative)
    {
        var trace = SharedData.RequireTrace(relative);
        var dir = new TempDir();
        Ingesting.Run(dir, trace);
        return (dir, trace);
    }

    internal static string[] Strings(TempDir dir, string sql)
    {
        using var c = LlmPipeline.Ingest.Storage.LlmDatabase.OpenReadOnly(dir.File("t.db"));
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.IsDBNull(0) ? "<null>" : r.GetString(0));
        return list.ToArray();
    }
}
