using System.Text.Json;

namespace LlmPipeline.Analysis.Efficiency;

/// <summary>
/// The GEMM work of one part of a forward pass, derived from the model config (for kernels whose launching op's shapes
/// are unknown: CUDA-graph replays without a capture trace, GPU-only traces). Per token; the efficiency views multiply
/// by the pass's token count.
/// </summary>
/// <param name="LayerIdx">0-based transformer layer, or -1 for the epilogue's lm_head.</param>
/// <param name="FlopsPerToken">GEMM FLOPs per token (2·in·out per weight matrix; routed experts × top_k).</param>
/// <param name="WeightBytes">Bytes of the weights every pass reads once, whatever its token count (attention
/// projections, dense MLP, shared experts, router, lm_head), at <see cref="WeightDtype"/>'s size.</param>
/// <param name="ExpertBytes">Bytes of one routed expert's weights (0 for a dense layer); a pass reads
/// MIN(routed experts, tokens · top_k) of them.</param>
/// <param name="RoutedExperts">Routed experts of the layer (0 for a dense layer).</param>
/// <param name="TopK">Experts each token is routed to (0 for a dense layer).</param>
/// <param name="WeightDtype">Dtype key of the weights: bf16, fp16, fp32 (torch_dtype) or fp8 (quantization_config).</param>
/// <param name="Formula">The formula with its numbers.</param>
/// <param name="AttentionFlopsPerPair">The layer's attention FLOPs per query-key pair, 2·nH·(d_qk + d_v) (heads of
/// the rank); null when not counted (lm_head, MLA, sparse or linear attention).</param>
/// <param name="KvBytesPerKey">KV-cache bytes the layer reads per key token, nKV·(d_qk + d_v) at torch_dtype's size;
/// null with <paramref name="AttentionFlopsPerPair"/>.</param>
/// <param name="SlidingWindow">The layer's attention window in tokens, null for full attention.</param>
public sealed record ConfigPartWork(int LayerIdx, long FlopsPerToken, long WeightBytes, long ExpertBytes, int RoutedExperts, int TopK,
    string WeightDtype, string Formula, long? AttentionFlopsPerPair = null, long? KvBytesPerKey = null, long? SlidingWindow = null);

/// <summary>
/// Config-derived work per layer and for lm_head (issue 20). With H = hidden_size, nH = num_attention_heads,
/// nKV = num_key_value_heads, d = head_dim (default H / nH), I = intermediate_size, V = vocab_size, per token:
/// <list type="bullet">
/// <item>QKV: 2·H·(nH + 2·nKV)·d; O: 2·nH·d·H. MLA (kv_lora_rank): q 2·H·q_lora + 2·q_lora·nH·(d_nope + d_rope)
/// (2·H·nH·(d_nope + d_rope) without q_lora_rank), kv_a 2·H·(kv_lora + d_rope), kv_b 2·kv_lora·nH·(d_nope + d_v),
/// O 2·nH·d_v·H.</item>
/// <item>Dense MLP (gate, up, down): 2·3·H·I.</item>
/// <item>MoE layer (n_routed_experts / num_experts / num_local_experts with num_experts_per_tok, from layer
/// first_k_dense_replace on): router 2·H·E, routed 2·top_k·3·H·I_moe (moe_intermediate_size), shared experts
/// 2·3·H·I_shared (n_shared_experts · moe_intermediate_size, or shared_expert_intermediate_size).</item>
/// <item>lm_head (epilogue): 2·H·V per sequence of the pass (its last token: serving engines compute no other logits;
/// pass_efficiency multiplies by passes.batch_size, by the token count when the batch size is unknown).</item>
/// </list>
/// Bytes: the weights read once per pass, at the size of torch_dtype (fp8, 1 byte, when quantization_config names fp8).
/// <para>Attention's score and value products depend on the context, so each layer gives them per query-key pair and
/// per key token, which a pass's lengths (<see cref="AttentionContext"/>) complete: 2·nH·(d_qk + d_v) FLOPs per pair
/// (pairs = Σ Sq·Sk − Σ Sq²/2 over prefill sequences + Σ Sq·Sk over decode sequences) and the KV cache read,
/// nKV·(d_qk + d_v) elements per key token at torch_dtype's size (a quantized KV cache is a serving option that
/// config.json does not record). A layer with a sliding window (layer_types "sliding_attention" with sliding_window;
/// without layer_types, every layer when sliding_window is set and use_sliding_window is not false, or when
/// attention_chunk_size is set) gives its window, and counts only where a pass's Σ Sk fits it. MLA (kv_lora_rank),
/// sparse attention (index_topk, compress_ratios) and layer types other than full / sliding attention get none: these
/// formulas do not describe them.</para>
/// <para>Tensor parallelism: a run that is one rank of a TP group of size tp (runs.world_size, when the trace's
/// all-reduce kernels inside layers show TP) does 1/tp of the sharded work, the Megatron layout vLLM and SGLang use:
/// attention heads nH/tp (KV heads nKV/tp, or 1 replicated head per rank when nKV &lt; tp; MLA: q_b, kv_b and O over
/// nH/tp heads, q_a and kv_a replicated), the dense MLP, routed and shared experts over I/tp, lm_head over ⌈V/tp⌉
/// (vocab-parallel); the router (2·H·E) is replicated. FLOPs and weight bytes are those of the rank. A head count or
/// intermediate size that tp does not divide gives no work (the sharding is then unknown).</para>
/// </summary>
public static class ConfigWork
{
    /// <summary>
    /// The work of each layer and of lm_head (<see cref="ConfigPartWork.LayerIdx"/> -1), or an empty list when the config
    /// lacks a size the formulas need (no work is invented).
    /// </summary>
    /// <param name="configJson">The model's config.json text (runs.config_json).</param>
    /// <param name="tensorParallel">The run's tensor-parallel size (1: the whole model on one GPU); work and weights
    /// are those of one rank.</param>
    public static IReadOnlyList<ConfigPartWork> Of(string? configJson, int tensorParallel = 1)
    {
        long tp = Math.Max(1, tensorParallel);
        if (string.IsNullOrWhiteSpace(configJson)) return [];
        JsonElement root;
        try { root = JsonDocument.Parse(configJson).RootElement.Clone(); }
        catch (JsonException) { return []; }
        if (root.ValueKind != JsonValueKind.Object) return [];
        if (root.TryGetProperty("text_config", out var text) && text.ValueKind == JsonValueKind.Object && !root.TryGetProperty("hidden_size", out _))
            root = text;
        long? Int(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n > 0 ? n : null;
        var h = Int("hidden_size");
        var heads = Int("num_attention_heads");
        var layers = Int("num_hidden_layers");
        var vocab = Int("vocab_size");
        if (h is not { } H || heads is not { } nH || layers is not { } L || vocab is not { } V) return [];
        var nKV = Int("num_key_value_heads") ?? nH;
        var d = Int("head_dim") ?? H / nH;
        if (nH % tp != 0 || (nKV >= tp && nKV % tp != 0)) return [];
        var rH = nH / tp;                       // heads on this rank
        var rKV = nKV >= tp ? nKV / tp : 1;     // KV heads replicated when fewer than tp
        var tpNote = tp > 1 ? $" per rank of tp={tp}" : "";
        var dtype = Dtype(root);
        var size = dtype switch { "fp32" => 4, "fp8" => 1, _ => 2 };
        var headSize = dtype == "fp8" ? Dtype(root, ignoreQuantization: true) switch { "fp32" => 4, _ => 2 } : size;

        // Attention projections, weights in elements.
        long attnWeights;
        string attnFormula;
        if (Int("kv_lora_rank") is { } kvLora)
        {
            var nope = Int("qk_nope_head_dim") ?? 0;
            var rope = Int("qk_rope_head_dim") ?? 0;
            var dv = Int("v_head_dim") ?? d;
            var q = Int("q_lora_rank") is { } qLora ? H * qLora + qLora * rH * (nope + rope) : H * rH * (nope + rope);
            attnWeights = q + H * (kvLora + rope) + kvLora * rH * (nope + dv) + rH * dv * H;
            attnFormula = $"MLA H={H} nH={nH} kv_lora={kvLora} d_nope={nope} d_rope={rope} d_v={dv}";
        }
        else
        {
            attnWeights = H * (rH + 2 * rKV) * d + rH * d * H;
            attnFormula = tp > 1
                ? $"QKV 2*H*(nH/tp+2*max(1,nKV/tp))*d + O 2*(nH/tp)*d*H H={H} nH={nH} nKV={nKV} d={d} tp={tp}"
                : $"QKV 2*H*(nH+2*nKV)*d + O 2*nH*d*H H={H} nH={nH} nKV={nKV} d={d}";
        }

        // Attention per query-key pair and KV read per key token, d_qk = d_v = d (MLA and sparse attention: none).
        var plainAttention = Int("kv_lora_rank") is null && !root.TryGetProperty("index_topk", out _) && !root.TryGetProperty("compress_ratios", out _);
        long? pairFlops = plainAttention ? 2 * rH * (d + d) : null;
        long? keyBytes = plainAttention ? rKV * (d + d) * headSize : null;
        var layerTypes = root.TryGetProperty("layer_types", out var lt) && lt.ValueKind == JsonValueKind.Array
            ? lt.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : null).ToList() : null;
        var window = Int("sliding_window");
        var everyLayerWindow = layerTypes is null
            ? (root.TryGetProperty("use_sliding_window", out var usw) && usw.ValueKind == JsonValueKind.False ? null : window) ?? Int("attention_chunk_size")
            : null;
        // The layer's (FLOPs per pair, KV bytes per key, window), or nulls when its attention is not counted.
        (long?, long?, long?) Attention(int layer)
        {
            if (pairFlops is null) return (null, null, null);
            if (layerTypes is null) return (pairFlops, keyBytes, everyLayerWindow);
            return (layer < layerTypes.Count ? layerTypes[layer] : null) switch
            {
                "full_attention" => (pairFlops, keyBytes, null),
                "sliding_attention" when window is not null => (pairFlops, keyBytes, window),
                _ => (null, null, null),
            };
        }
        string AttentionFormula(int layer) => Attention(layer) switch
        {
            ({ }, _, var w) => $" + attention 2*nH*(d_qk+d_v) per query-key pair, KV read nKV*(d_qk+d_v)*{headSize} B per key token{(w is { } x ? $" (window {x})" : "")}",
            _ => "",
        };

        var experts = Int("n_routed_experts") ?? Int("num_experts") ?? Int("num_local_experts");
        var topK = Int("num_experts_per_tok");
        var moeI = Int("moe_intermediate_size");
        var denseI = Int("intermediate_size");
        var firstDense = Int("first_k_dense_replace") ?? 0;
        var sharedI = Int("shared_expert_intermediate_size") ?? (Int("n_shared_experts") is { } ns && moeI is { } mi ? ns * mi : 0);
        var parts = new List<ConfigPartWork>();
        for (var i = 0; i < L; i++)
        {
            var moe = experts is > 0 && topK is > 0 && (moeI ?? denseI) is > 0 && i >= firstDense;
            if (moe)
            {
                var E = experts!.Value;
                var k = topK!.Value;
                var I = (moeI ?? denseI)!.Value;
                if (I % tp != 0 || sharedI % tp != 0) return [];
                var always = attnWeights + H * E + 3 * H * sharedI / tp;
                var expert = 3 * H * I / tp;
                var (pf, kb, win) = Attention(i);
                parts.Add(new ConfigPartWork(i, 2 * (always + k * expert), always * size, expert * size, (int)E, (int)k, dtype,
                    $"{attnFormula} + router 2*H*E + routed 2*top_k*3*H*I_moe + shared 2*3*H*I_shared E={E} top_k={k} I_moe={I} I_shared={sharedI}{AttentionFormula(i)}{tpNote}",
                    pf, kb, win));
            }
            else
            {
                if (denseI is not { } I || I % tp != 0) return [];
                var w = attnWeights + 3 * H * I / tp;
                var (pf, kb, win) = Attention(i);
                parts.Add(new ConfigPartWork(i, 2 * w, w * size, 0, 0, 0, dtype, $"{attnFormula} + MLP 2*3*H*I I={I}{AttentionFormula(i)}{tpNote}", pf, kb, win));
            }
        }
        var rV = (V + tp - 1) / tp;             // vocab-parallel lm_head: ceil(V / tp) rows on this rank
        parts.Add(new ConfigPartWork(-1, 2 * H * rV, H * rV * headSize, 0, 0, 0, dtype,
            tp > 1 ? $"lm_head 2*H*ceil(V/tp) H={H} V={V} tp={tp}" : $"lm_head 2*H*V H={H} V={V}"));
        return parts;
    }

    /// <summary>The weights' dtype key: fp8 when quantization_config names fp8 (quant_method or fmt), else torch_dtype
    /// (bfloat16 → bf16, float16 → fp16, float32 → fp32; bf16 when absent).</summary>
    private static string Dtype(JsonElement root, bool ignoreQuantization = false)
    {
        if (!ignoreQuantization && root.TryGetProperty("quantization_config", out var q) && q.ValueKind == JsonValueKind.Object)
        {
            foreach (var key in (string[])["quant_method", "fmt", "quant_algo"])
                if (q.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Contains("fp8", StringComparison.OrdinalIgnoreCase))
                    return "fp8";
        }
        var t = root.TryGetProperty("torch_dtype", out var td) && td.ValueKind == JsonValueKind.String ? td.GetString()
            : root.TryGetProperty("dtype", out var dt) && dt.ValueKind == JsonValueKind.String ? dt.GetString() : null;
        return t switch { "float16" or "half" => "fp16", "float32" or "float" => "fp32", _ => "bf16" };
    }
}
