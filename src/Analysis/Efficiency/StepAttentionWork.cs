namespace LlmPipeline.Analysis.Efficiency;

/// <summary>
/// The work of a serving engine's attention op (paged decode attention, vLLM unified attention, batch prefill over a
/// paged KV cache) as far as its shapes say it: per query-key pair, per query token and per key token. The step's
/// lengths (<see cref="AttentionContext"/>, from its annotation) give the rest, since the KV-cache tensor's shape is its
/// capacity, not the context attended. Formulas (TraceLens's InferenceAttention model, AMD-AGI/TraceLens
/// <c>TraceLens/PerfModel/extensions/attention_perf_model_extensions.py</c>):
/// FLOPs = 2·H·(d_qk + d_v) · (Σ Sq·Sk − Σ Sq²/2 [prefill, causal] + Σ Sq·Sk [decode]);
/// bytes = H·(d_qk + d_v)·size(q) · Σ Sq (q read, out written) + H_kv·(d_qk + d_v)·size(kv) · Σ Sk (K and V read).
/// </summary>
/// <param name="QueryTokens">Tokens of the op's q tensor: the step's Σ Sq must equal it (over the decode part alone for
/// <paramref name="GenerationOnly"/> ops), else the lengths are not this op's and the work stays unknown.</param>
/// <param name="FlopsPerPair">FLOPs per query-key pair: 2·H·(d_qk + d_v).</param>
/// <param name="BytesPerQuery">Bytes per query token: H·(d_qk + d_v)·size(q) (q read and the output written).</param>
/// <param name="BytesPerKey">Bytes per key token: H_kv·(d_qk + d_v)·size(kv) (K and V read).</param>
/// <param name="GenerationOnly">A decode-only op (paged / decode attention): it needs a step without a prefill part.</param>
/// <param name="ComputeDtype">Dtype key of q (<see cref="OpWork.DtypeKey"/>), null when unknown.</param>
/// <param name="Formula">The formula with the shapes' numbers, e.g.
/// <c>2*H*(d_qk+d_v)*(c_sqsk-c_sqsq/2+g_sqsk) H=32 d_qk=128 d_v=128 H_kv=8 tokens=32 (decode part)</c>.</param>
public sealed record StepAttentionWork(long QueryTokens, long FlopsPerPair, long BytesPerQuery, long BytesPerKey, bool GenerationOnly,
    string? ComputeDtype, string Formula)
{
    /// <summary>Label of <see cref="GenerationOnly"/> as stored in <c>kernel_work.attention_parts</c>.</summary>
    public string Parts => GenerationOnly ? "generation" : "all";

    /// <summary>
    /// The op's work in a step of lengths <paramref name="lengths"/>; null when they are unknown, or are not this op's:
    /// Σ Sq differs from <see cref="QueryTokens"/>, or a decode-only op meets a step with a prefill part.
    /// </summary>
    /// <param name="lengths">The step's lengths, null when unknown.</param>
    /// <param name="source">Where the lengths come from (annotation, seq_lens), appended to the formula.</param>
    public KernelWork? Evaluate(AttentionContext? lengths, string source = "annotation")
    {
        if (lengths is not { } a || QueryTokens <= 0 || a.QueryTokens != QueryTokens) return null;
        if (GenerationOnly && (a.ContextSq != 0 || a.ContextSequences != 0)) return null;
        var flops = FlopsPerPair / 2 * a.TwicePairs;
        var bytes = BytesPerQuery * a.QueryTokens + BytesPerKey * a.KeyTokens;
        var formula = $"{Formula} c_sqsk={a.ContextSqSk} c_sqsq={a.ContextSqSq} g_sqsk={a.GenerationSqSk} sum(Sq)={a.QueryTokens} sum(Sk)={a.KeyTokens} ({source})";
        return new KernelWork("attention", flops, bytes, ComputeDtype, formula);
    }
}
