using LlmPipeline.Analysis.Efficiency;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>Config-derived GEMM work per layer and lm_head (issue 20), checked against hand-computed values.</summary>
public sealed class ConfigWorkTests
{
    private const string Qwen3_8B = """
        {"hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128,
         "intermediate_size": 12288, "num_hidden_layers": 36, "vocab_size": 151936, "torch_dtype": "bfloat16"}
        """;

    [Fact]
    public void Dense_qwen3_8b_layer_and_lm_head()
    {
        var parts = ConfigWork.Of(Qwen3_8B);
        Assert.Equal(37, parts.Count);
        var layer = parts[0];
        // QKV 4096 x (32 + 2*8)*128 = 6144, O 4096 x 4096, gate/up/down 3 x 4096 x 12288: 47,104 x 4096 weights.
        Assert.Equal(4096L * 47104, 4096L * 6144 + 4096L * 4096 + 3L * 4096 * 12288);
        Assert.Equal(2L * 4096 * 47104, layer.FlopsPerToken);
        Assert.Equal(4096L * 47104 * 2, layer.WeightBytes); // bf16
        Assert.Equal(0, layer.ExpertBytes);
        Assert.Equal("bf16", layer.WeightDtype);
        var head = parts[^1];
        Assert.Equal(-1, head.LayerIdx);
        Assert.Equal(2L * 4096 * 151936, head.FlopsPerToken);
        Assert.Equal(4096L * 151936 * 2, head.WeightBytes);
        // 32 tokens: the SGLang decode step's GEMM FLOPs with its capture (TraceLens's total), 484,358,225,920.
        Assert.Equal(484_358_225_920L, 32 * (36 * layer.FlopsPerToken + head.FlopsPerToken));
    }

    [Fact]
    public void Moe_layers_count_router_top_k_routed_and_shared_experts_from_first_k_dense_replace()
    {
        var parts = ConfigWork.Of("""
            {"hidden_size": 1024, "num_attention_heads": 8, "num_key_value_heads": 2, "head_dim": 128,
             "intermediate_size": 4096, "moe_intermediate_size": 512, "n_routed_experts": 64, "num_experts_per_tok": 4,
             "n_shared_experts": 2, "first_k_dense_replace": 1, "num_hidden_layers": 3, "vocab_size": 1000,
             "torch_dtype": "bfloat16", "quantization_config": {"quant_method": "fp8"}}
            """);
        Assert.Equal(4, parts.Count);
        const long attn = 1024L * (8 + 2 * 2) * 128 + 8L * 128 * 1024;
        // Layer 0 dense: attention + 3*H*I, fp8 weights (1 byte).
        Assert.Equal(2 * (attn + 3L * 1024 * 4096), parts[0].FlopsPerToken);
        Assert.Equal(attn + 3L * 1024 * 4096, parts[0].WeightBytes);
        Assert.Equal("fp8", parts[0].WeightDtype);
        // Layer 1 MoE: router H*E, shared 3*H*(2*512), routed top_k * 3*H*512.
        const long always = attn + 1024L * 64 + 3L * 1024 * 1024;
        Assert.Equal(2 * (always + 4 * 3L * 1024 * 512), parts[1].FlopsPerToken);
        Assert.Equal(always, parts[1].WeightBytes);
        Assert.Equal(3L * 1024 * 512, parts[1].ExpertBytes);
        Assert.Equal(64, parts[1].RoutedExperts);
        Assert.Equal(4, parts[1].TopK);
        // lm_head stays at torch_dtype's size.
        Assert.Equal(1024L * 1000 * 2, parts[3].WeightBytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"hidden_size": 4096, "num_attention_heads": 32, "num_hidden_layers": 2, "vocab_size": 10}""")] // no intermediate_size
    [InlineData("""{"num_attention_heads": 32, "num_hidden_layers": 2, "vocab_size": 10, "intermediate_size": 8}""")] // no hidden_size
    public void Unknown_sizes_give_no_work(string? json) => Assert.Empty(ConfigWork.Of(json));

    [Fact]
    public void Tensor_parallel_rank_gets_its_share_of_heads_mlp_and_vocab()
    {
        // Qwen3-8B on tp=4: heads 32/4 = 8, KV heads 8/4 = 2: QKV 4096 x (8 + 2*2)*128 = 1536, O 1024 x 4096,
        // MLP 3 x 4096 x 12288/4 = 3 x 4096 x 3072: (1536 + 1024 + 9216) x 4096 = 11,776 x 4096 weights per rank.
        var parts = ConfigWork.Of(Qwen3_8B, tensorParallel: 4);
        Assert.Equal(37, parts.Count);
        Assert.Equal(2L * 4096 * 11776, parts[0].FlopsPerToken);   // 96,468,992
        Assert.Equal(96_468_992L, parts[0].FlopsPerToken);
        Assert.Equal(4096L * 11776 * 2, parts[0].WeightBytes);
        Assert.Contains("tp=4", parts[0].Formula, StringComparison.Ordinal);
        // lm_head: ceil(151936 / 4) = 37,984 vocab rows.
        Assert.Equal(2L * 4096 * 37984, parts[^1].FlopsPerToken);
        // tp=16 > nKV=8: 2 heads per rank and one replicated KV head: QKV 4096 x (2 + 2)*128 = 512, O 256 x 4096,
        // MLP 3 x 4096 x 768 = 2304: 3072 x 4096.
        Assert.Equal(2L * 4096 * 3072, ConfigWork.Of(Qwen3_8B, tensorParallel: 16)[0].FlopsPerToken);
        // tp=3 does not divide 32 heads: the sharding is unknown, no work.
        Assert.Empty(ConfigWork.Of(Qwen3_8B, tensorParallel: 3));
        Assert.Equal(ConfigWork.Of(Qwen3_8B), ConfigWork.Of(Qwen3_8B, tensorParallel: 1));
    }

    [Fact]
    public void Tensor_parallel_moe_layer_keeps_the_router_replicated()
    {
        var parts = ConfigWork.Of("""
            {"hidden_size": 1024, "num_attention_heads": 8, "num_key_value_heads": 2, "head_dim": 128,
             "intermediate_size": 4096, "moe_intermediate_size": 512, "n_routed_experts": 64, "num_experts_per_tok": 4,
             "n_shared_experts": 2, "num_hidden_layers": 1, "vocab_size": 1000, "torch_dtype": "bfloat16"}
            """, tensorParallel: 2);
        // Per rank: heads 4, KV heads 1: attention 1024 x (4 + 2)*128 + 4*128 x 1024 = 786,432 + 524,288 = 1,310,720;
        // router 1024 x 64 = 65,536 (replicated); shared 3 x 1024 x 1024 / 2 = 1,572,864; one expert 3 x 1024 x 512 / 2 = 786,432.
        const long always = 1_310_720 + 65_536 + 1_572_864;
        Assert.Equal(2 * (always + 4 * 786_432L), parts[0].FlopsPerToken);  // 12,189,696
        Assert.Equal(12_189_696L, parts[0].FlopsPerToken);
        Assert.Equal(always * 2, parts[0].WeightBytes);
        Assert.Equal(786_432L * 2, parts[0].ExpertBytes);
        // lm_head ceil(1000 / 2) = 500 rows.
        Assert.Equal(2L * 1024 * 500, parts[^1].FlopsPerToken);
    }

    [Fact]
    public void Attention_per_query_key_pair_and_kv_read_per_key_token_follow_heads_and_tensor_parallelism()
    {
        // Qwen3-8B: 2*32*(128+128) = 16,384 FLOPs per pair, KV 8*(128+128)*2 B = 4,096 B per key token, no window
        // (sliding_window null, use_sliding_window false in the real config; absent here).
        var layer = ConfigWork.Of(Qwen3_8B)[0];
        Assert.Equal((16_384L, 4_096L, (long?)null), (layer.AttentionFlopsPerPair!.Value, layer.KvBytesPerKey!.Value, layer.SlidingWindow));
        Assert.Contains("attention 2*nH*(d_qk+d_v)", layer.Formula, StringComparison.Ordinal);
        // tp=4: 8 heads and 2 KV heads per rank; tp=16: 2 heads and one replicated KV head.
        Assert.Equal((4_096L, 1_024L), (ConfigWork.Of(Qwen3_8B, 4)[0].AttentionFlopsPerPair!.Value, ConfigWork.Of(Qwen3_8B, 4)[0].KvBytesPerKey!.Value));
        Assert.Equal((1_024L, 512L), (ConfigWork.Of(Qwen3_8B, 16)[0].AttentionFlopsPerPair!.Value, ConfigWork.Of(Qwen3_8B, 16)[0].KvBytesPerKey!.Value));
        // lm_head has none.
        Assert.Null(ConfigWork.Of(Qwen3_8B)[^1].AttentionFlopsPerPair);
    }

    [Fact]
    public void Sliding_window_layers_give_their_window_and_unknown_attention_kinds_give_none()
    {
        // gpt-oss: layer_types alternate sliding (window 128) and full attention.
        var gptOss = ConfigWork.Of("""
            {"hidden_size": 2880, "num_attention_heads": 64, "num_key_value_heads": 8, "head_dim": 64, "intermediate_size": 2880,
             "num_local_experts": 32, "num_experts_per_tok": 4, "num_hidden_layers": 2, "vocab_size": 201088, "sliding_window": 128,
             "layer_types": ["sliding_attention", "full_attention"]}
            """);
        Assert.Equal((16_384L, 2_048L, (long?)128), (gptOss[0].AttentionFlopsPerPair!.Value, gptOss[0].KvBytesPerKey!.Value, gptOss[0].SlidingWindow));
        Assert.Null(gptOss[1].SlidingWindow);
        Assert.Equal(16_384L, gptOss[1].AttentionFlopsPerPair);
        const string dense = "\"hidden_size\": 64, \"num_attention_heads\": 4, \"head_dim\": 16, \"intermediate_size\": 128, \"num_hidden_layers\": 2, \"vocab_size\": 10";
        // Without layer_types a sliding_window covers every layer (Mistral), unless use_sliding_window is false (Qwen2/3).
        Assert.All(ConfigWork.Of("{" + dense + """, "sliding_window": 4096}""").SkipLast(1), p => Assert.Equal(4096, p.SlidingWindow));
        Assert.All(ConfigWork.Of("{" + dense + """, "sliding_window": 4096, "use_sliding_window": false}""").SkipLast(1), p => Assert.Null(p.SlidingWindow));
        // Linear-attention layers (Qwen3-Next style) and MLA get no attention work.
        var hybrid = ConfigWork.Of("{" + dense + """, "layer_types": ["linear_attention", "full_attention"]}""");
        Assert.Null(hybrid[0].AttentionFlopsPerPair);
        Assert.Equal(2L * 4 * 32, hybrid[1].AttentionFlopsPerPair);
        Assert.All(ConfigWork.Of("{" + dense + """, "kv_lora_rank": 32, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 16}"""),
            p => Assert.Null(p.AttentionFlopsPerPair));
    }
}
