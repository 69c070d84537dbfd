using LlmPipeline.Analysis.Efficiency;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>
/// Serving attention whose work the step's lengths complete (issue 20): the annotation forms that carry them, and the
/// work of vLLM unified attention and aiter batch prefill on the real shapes of the TraceLens traces, against hand
/// computation and TraceLens's InferenceAttention_fwd.csv for the same steps (AMD-AGI/TraceLens 171dd747,
/// tests/traces/inference/*/perf_csvs/).
/// </summary>
public sealed class StepAttentionWorkTests
{
    private const string Bf16 = "c10::BFloat16";

    [Fact]
    public void Sglang_detailed_step_annotations_parse()
    {
        // TraceLens's documented forms (TraceLens/TraceUtils/annotation_utils.py).
        Assert.Equal(new AttentionContext(0, 0, 0, 0, 0, 64, 128, 131072, 256, 262144),
            AttentionContext.Parse("step[DECODE bs=64 g_sq=128 g_sqsq=256 g_sqsk=262144 g_sk=131072]"));
        Assert.Equal(new AttentionContext(2, 14721, 14721, 108745533, 108745533, 0, 0, 0, 0, 0),
            AttentionContext.Parse("step[EXTEND bs=2 toks=14721 c_sq=14721 c_sqsq=108745533 c_sqsk=108745533 c_sk=14721]"));
        Assert.Equal(new AttentionContext(1, 5, 8, 25, 40, 1, 1, 12, 1, 12),
            AttentionContext.Parse("step[MIXED bs=2 c=1 g=1 c_sq=5 c_sk=8 c_sqsq=25 c_sqsk=40 g_sq=1 g_sk=12 g_sqsq=1 g_sqsk=12]"));
        Assert.Null(AttentionContext.Parse("step[EXTEND bs=2 toks=14721]"));
    }

    [Fact]
    public void Atom_detailed_annotations_parse_and_a_decode_step_holding_prefill_requests_does_not()
    {
        Assert.Equal(new AttentionContext(2, 14721, 14721, 108745533, 108745533, 0, 0, 0, 0, 0),
            AttentionContext.Parse("prefill[bs=2 tok=14721 ctx=[7803, 6918] sqsq=108745533 sqsk=108745533 sk=14721]"));
        Assert.Equal(new AttentionContext(0, 0, 0, 0, 0, 32, 128, 65536, 512, 262144),
            AttentionContext.Parse("decode[bs=32 tok=128 d=32 spec=3 sqsq=512 sqsk=262144 sk=65536]"));
        Assert.Null(AttentionContext.Parse("decode[bs=128 tok=384 p=2 d=126 sqsq=132612 sqsk=1114112 sk=258048 tbo=1]"));
        Assert.Null(AttentionContext.Parse("decode[bs=64 tok=64 d=64]"));
        Assert.Null(AttentionContext.Parse("execute_context_1(888_788544)_generation_0(0)"));
    }

    [Fact]
    public void Vllm_unified_attention_decode_step_matches_tracelens()
    {
        // vllm_decode_full (gpt-oss-20b, bs 32): q [32, 64, 64], k / v [32, 8, 64], out [32, 64, 64]; the step attends
        // 55,086 cached tokens. FLOPs 2*64*(64+64) * 55086 = 902,529,024 (TraceLens 0.902529024 GFLOPs). Bytes:
        // q and out 32 * 64*128 * 2 = 524,288 + K and V 55086 * 8*128 * 2 = 112,816,128: 113,340,416 (108.08984375 MB).
        const string dims = "[[32,64,64],[32,8,64],[32,8,64],[32,64,64],[],[],[],[0]]";
        const string types = $$"""["{{Bf16}}","{{Bf16}}","{{Bf16}}","{{Bf16}}","","","","{{Bf16}}"]""";
        var lengths = AttentionContext.Parse("execute_32_context_0(sq0sk0sqsq0sqsk0)_generation_32(sq32sk55086sqsq32sqsk55086)");
        var step = OpWork.StepAttention("vllm::unified_attention_with_output", dims, types, "kernel_unified_attention_3d");
        Assert.NotNull(step);
        Assert.Equal((32L, 16384L, 16384L, 2048L, false), (step.QueryTokens, step.FlopsPerPair, step.BytesPerQuery, step.BytesPerKey, step.GenerationOnly));
        var w = OpWork.Of("vllm::unified_attention_with_output", dims, types, "kernel_unified_attention_3d", attention: lengths);
        Assert.NotNull(w);
        Assert.Equal(902_529_024, w.Flops);
        Assert.Equal(113_340_416, w.Bytes);
        // The 3-D variant's reduce kernel carries none of it.
        Assert.Null(OpWork.StepAttention("vllm::unified_attention_with_output", dims, types, "reduce_segments"));
    }

    [Fact]
    public void Vllm_unified_attention_mixed_step_counts_the_prefill_part_causally()
    {
        // vllm_prefilldecode_piecewise: 8192 tokens = 8155 prefill (9 sequences) + 37 decode. Pairs: 7,671,310 -
        // 7,475,785 / 2 + 34,489 = 3,967,906.5; FLOPs 16384 * that = 65,010,180,096 (TraceLens 65.010180096 GFLOPs).
        // Bytes: 8192 * 16384 + (8430 + 34489) * 2048 = 134,217,728 + 87,898,112 = 222,115,840 (211.826171875 MB).
        var lengths = AttentionContext.Parse("execute_8192_context_9(sq8155sk8430sqsq7475785sqsk7671310)_generation_37(sq37sk34489sqsq37sqsk34489)");
        var w = OpWork.Of("vllm::unified_attention_with_output", "[[8192,64,64],[8192,8,64],[8192,8,64],[8192,64,64],[],[],[],[0]]",
            $$"""["{{Bf16}}","{{Bf16}}","{{Bf16}}","{{Bf16}}","","","","{{Bf16}}"]""", "kernel_unified_attention_2d", attention: lengths);
        Assert.NotNull(w);
        Assert.Equal(65_010_180_096, w.Flops);
        Assert.Equal(222_115_840, w.Bytes);
    }

    [Fact]
    public void Aiter_batch_prefill_matches_tracelens_and_needs_lengths_of_its_tokens()
    {
        // sglang_prefilldecode (Qwen3-8B, 15 sequences, 15360 tokens): q [15360, 32, 128], paged K / V [835874, 8, 128].
        // FLOPs 2*32*256 * (15,728,640 - 15,728,640 / 2) = 128,849,018,880 (TraceLens 128.84901888 GFLOPs); bytes
        // 15360 * 32*256*2 + 15360 * 8*256*2 = 251,658,240 + 62,914,560 = 314,572,800 (300 MB).
        const string op = "aiter::mha_batch_prefill";
        const string dims = "[[15360,32,128],[835874,8,128],[835874,8,128],[16],[16],[15616],[],[],[]]";
        const string types = $$"""["{{Bf16}}","{{Bf16}}","{{Bf16}}","int","int","int","Scalar","Scalar","Scalar"]""";
        const string kernel = "_ZN7ck_tile6kentryILi2ENS_38FmhaBatchPrefillWithPagedKVCacheKernel";
        var w = OpWork.Of(op, dims, types, kernel,
            attention: AttentionContext.Parse("execute_15360_context_15(sq15360sk15360sqsq15728640sqsk15728640)_generation_0(sq0sk0sqsq0sqsk0)"));
        Assert.NotNull(w);
        Assert.Equal(128_849_018_880, w.Flops);
        Assert.Equal(314_572_800, w.Bytes);
        // Lengths of another step (its Sq sum is not the op's 15360 tokens), or none: unknown.
        Assert.Null(OpWork.Of(op, dims, types, kernel, attention: AttentionContext.Parse("step[EXTEND bs=1 c_sq=100 c_sk=100 c_sqsq=10000 c_sqsk=10000]")));
        Assert.Null(OpWork.Of(op, dims, types, kernel));
    }
}
