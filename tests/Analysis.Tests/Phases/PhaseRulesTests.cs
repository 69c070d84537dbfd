using LlmPipeline.Analysis.Phases;
using LlmPipeline.Analysis.Profiles;
using Xunit;

namespace LlmPipeline.Analysis.Tests.Phases;

public sealed class PhaseRulesTests
{
    private static readonly PhaseRules Rules = PhaseRules.Default;

    [Theory]
    [InlineData("step[DECODE bs=32]", "decode", 32, 32L)] // a decode step makes one token per request
    [InlineData("step[EXTEND bs=15 toks=15360]", "prefill", 15, 15360L)]
    [InlineData("step[MIXED bs=4 toks=600]", "mixed", 4, 600L)]
    [InlineData("step[TARGET_VERIFY bs=4]", "decode", 4, 4L)]
    [InlineData("execute_32_context_0(sq0sk0sqsq0sqsk0)_generation_32(sq32sk32785sqsq32sqsk32785)", "decode", 32, 32L)]
    [InlineData("execute_15360_context_15(sq15360sk15360sqsq15728640sqsk15728640)_generation_0(sq0sk0sqsq0sqsk0)", "prefill", 15, 15360L)]
    [InlineData("execute_8192_context_9(sq8155sk8430sqsq7475785sqsk7671310)_generation_37(sq37sk34489sqsq37sqsk34489)", "mixed", 46, 8192L)]
    [InlineData("execute_context_1(888_788544)_generation_0(0)", "prefill", 1, 888L)]
    [InlineData("execute_context_2(512)_generation_30(30)", "mixed", 32, 542L)]
    [InlineData("decode[bs=8]", "decode", 8, 8L)]
    public void ParseMarker_reads_phase_batch_and_tokens_of_each_engine_grammar(string name, string phase, int bs, long? toks)
    {
        var m = Rules.ParseMarker(name);
        Assert.NotNull(m);
        Assert.Equal(phase, m.Phase);
        Assert.Equal(bs, m.BatchSize);
        Assert.Equal(toks, m.TokenCount);
    }

    [Fact]
    public void ParseMarker_profiler_step_bounds_a_step_without_a_phase()
    {
        var m = Rules.ParseMarker("ProfilerStep#7");
        Assert.Equal(new StepMarker("profiler_step", null, null, null), m);
        Assert.Null(Rules.ParseMarker("## Call CompiledFxGraph fud64 ##"));
    }

    [Theory]
    [InlineData("void paged_attention_ll4mi_QKV_mfma16_kernel<0, __hip_bfloat16>", "decode")]
    [InlineData("void fastertransformer::masked_multihead_attention_kernel<unsigned short>", "decode")]
    [InlineData("void sm90::decode::dense::flash_fwd_splitkv_mla_kernel<>", "decode")]
    [InlineData("flashinfer::BatchDecodeWithPagedKVCacheKernel", "decode")]
    [InlineData("fmha_v2_flash_attention_fp16_64_128_S_128_causal_sm80_kernel_nl_tiled", "prefill")]
    [InlineData("_ZN7ck_tile6kentryILi2ENS_38FmhaBatchPrefillWithPagedKVCacheKernel", "prefill")]
    [InlineData("fmhaSm100aKernel_QkvE4m3OBfloat16H64PagedKvCausalP16VarSeqQ128Kv128PersistentContext", "prefill")]
    [InlineData("kernel_unified_attention_2d", null)]
    [InlineData("nvjet_tst_64x8_64x16_4x1_v_bz_TNT", null)]
    public void KernelPhase_classifies_attention_kernels_by_signature(string name, string? phase) =>
        Assert.Equal(phase, Rules.KernelPhase(name));

    [Fact]
    public void Parse_user_rules_need_no_rebuild_and_bad_fields_are_named()
    {
        var custom = PhaseRules.Parse("""
            {"step_markers": [{"name": "mine", "pattern": "^fwd<(?<phase>ctx|gen)>", "phase_map": {"ctx": "prefill", "gen": "decode"}}],
             "attention_signatures": [{"phase": "decode", "pattern": "my_decode_attn"}]}
            """, "mine.json");
        Assert.Equal("prefill", custom.ParseMarker("fwd<ctx> batch")!.Phase);
        Assert.Equal("decode", custom.KernelPhase("my_decode_attn_v2"));
        var ex = Assert.Throws<ProfileFormatException>(() => PhaseRules.Parse("""{"attention_signatures": [{"phase": "warmup", "pattern": "x"}]}""", "bad.json"));
        Assert.Equal("attention_signatures[0].phase", ex.Field);
        ex = Assert.Throws<ProfileFormatException>(() => PhaseRules.Parse("""{"step_markers": [{"name": "x", "pattern": "(("}]}""", "bad.json"));
        Assert.Equal("step_markers[0].pattern", ex.Field);
    }

    [Fact]
    public void ParseMarker_user_grammar_without_a_mapped_phase_falls_through_to_the_built_in_grammars()
    {
        var user = PhaseRules.Parse("""
            {"step_markers": [{"name": "mine", "pattern": "^execute_(?<phase>\\d+)", "phase_map": {"1": "decode"}}]}
            """, "mine.json").Then(Rules);
        // "8192" is not in the user's phase_map: the vLLM grammar after it decides (8 prefill + 38 decode requests).
        var m = user.ParseMarker("execute_8192_context_8(8192)_generation_38(38)")!;
        Assert.Equal("mixed", m.Phase);
        Assert.Equal(46, m.BatchSize);
        Assert.Equal("decode", user.ParseMarker("execute_1_context_0(0)_generation_1(1)")!.Phase);
    }
}
