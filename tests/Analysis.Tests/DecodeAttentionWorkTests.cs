using LlmPipeline.Analysis.Efficiency;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>Decode / paged attention work where the context length is known (issue 20), against hand-computed values.</summary>
public sealed class DecodeAttentionWorkTests
{
    // The op and shapes of the SGLang Qwen3-8B decode capture (TraceLens sglang_decode, bs 32): q [32, 32, 128] bf16,
    // KV caches [835874, 1, 8, 128] bf16 (H_kv = 8), kv_indptr [33], kv_indices; no Concrete Inputs values.
    private const string Op = "sglang_profiler::attention_paged_attention_ragged_100";
    private const string Dims = "[[32,32,128],[10905190400],[32,32,128],[835874,1,8,128],[835874,1,8,128],[33],[20971520],[4096],[],[1],[1],[]]";
    private const string Types = """["c10::BFloat16","unsigned char","c10::BFloat16","c10::BFloat16","c10::BFloat16","int","int","int","","float","float",""]""";
    private const string Annotation = "execute_32_context_0(sq0sk0sqsq0sqsk0)_generation_32(sq32sk32785sqsq32sqsk32785)";

    [Fact]
    public void The_annotation_of_the_sglang_decode_trace_parses()
    {
        var a = AttentionContext.Parse(Annotation);
        Assert.Equal(new AttentionContext(0, 0, 0, 0, 0, 32, 32, 32785, 32, 32785), a);
        Assert.Null(AttentionContext.Parse("step[DECODE bs=32]"));
    }

    [Fact]
    public void Paged_decode_attention_with_the_annotation_counts_4_H_d_sum_sk_and_the_kv_read()
    {
        // FLOPs 4*32*128*32785 = 537,149,440. Bytes: KV 2*8*32785*128*2 = 134,287,360 + q and out 2*32*32*128*2 = 524,288.
        var w = OpWork.Of(Op, Dims, Types, "paged_attention_ll4mi_QKV_mfma16_kernel", attention: AttentionContext.Parse(Annotation));
        Assert.NotNull(w);
        Assert.Equal("attention", w.OpClass);
        Assert.Equal(537_149_440, w.Flops);
        Assert.Equal(134_811_648, w.Bytes);
        Assert.Equal("bf16", w.ComputeDtype);
        // Its reduce kernel carries none of the work.
        Assert.Null(OpWork.Of(Op, Dims, Types, "paged_attention_ll4mi_reduce_kernel", attention: AttentionContext.Parse(Annotation)));
    }

    [Fact]
    public void Without_a_context_length_decode_attention_stays_unknown()
    {
        Assert.Null(OpWork.Of(Op, Dims, Types, "paged_attention_ll4mi_QKV_mfma16_kernel"));
        // A mixed prefill + decode annotation is not used (the prefill part's causality is not recorded).
        var mixed = AttentionContext.Parse("execute_33_context_1(sq100sk100sqsq10000sqsk10000)_generation_32(sq32sk32785sqsq32sqsk32785)");
        Assert.Null(OpWork.Of(Op, Dims, Types, "paged_attention_ll4mi_QKV_mfma16_kernel", attention: mixed));
    }

    [Fact]
    public void Seq_lens_values_in_concrete_inputs_give_the_context_length()
    {
        // vLLM-style paged_attention_v1 (synthetic: no real trace records seq_lens values): q [B=4, H=8, d=64] fp16, key/value caches in the
        // 5-D layout [blocks, H_kv=2, d/x, block, x], seq_lens [4] int = 10, 20, 30, 40 (sum 100).
        // FLOPs 4*8*64*100 = 204,800. Bytes: KV 2*2*100*64*2 = 51,200 + q and out 2*4*8*64*2 = 8,192 = 59,392.
        var w = OpWork.Of("_C::paged_attention_v1", "[[4,8,64],[128,2,8,16,8],[128,2,64,16],[4],[4,32]]",
            """["c10::Half","c10::Half","c10::Half","int","int"]""", "paged_attention_v1_kernel",
            concreteInputs: """["","","","[10, 20, 30, 40]",""]""");
        Assert.NotNull(w);
        Assert.Equal(204_800, w.Flops);
        Assert.Equal(59_392, w.Bytes);
        Assert.Contains("seq_lens", w.Formula, StringComparison.Ordinal);
    }
}
