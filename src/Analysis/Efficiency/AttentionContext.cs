using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmPipeline.Analysis.Efficiency;

/// <summary>
/// The attention lengths of one forward step, summed over its sequences: for the prefill (context) part and for the
/// decode (generation) part, the number of sequences and the sums of Sq (query tokens), Sk (key tokens, cached context
/// included), Sq² and Sq·Sk. Serving engines write them into their step annotation when asked (the "detailed"
/// annotations TraceLens parses, AMD-AGI/TraceLens <c>TraceLens/TraceUtils/annotation_utils.py</c>); the shapes of an
/// attention op never say them.
/// </summary>
/// <remarks>
/// The query-key pairs a step attends are Σ Sq·Sk − Σ Sq²/2 over the prefill part (its new tokens attend each other
/// causally, the cached prefix fully) plus Σ Sq·Sk over the decode part (one query token per sequence sees its whole
/// context); <see cref="TwicePairs"/> is twice that, an integer.
/// </remarks>
/// <param name="ContextSequences">Prefill (context) sequences.</param>
/// <param name="ContextSq">Σ Sq over the prefill sequences (their new tokens).</param>
/// <param name="ContextSk">Σ Sk over the prefill sequences (new tokens plus cached prefix).</param>
/// <param name="ContextSqSq">Σ Sq² over the prefill sequences.</param>
/// <param name="ContextSqSk">Σ Sq·Sk over the prefill sequences.</param>
/// <param name="GenerationSequences">Decode (generation) sequences.</param>
/// <param name="GenerationSq">Σ Sq over the decode sequences (one query token each, more with speculative tokens).</param>
/// <param name="GenerationSk">Σ Sk over the decode sequences (context tokens read from the KV cache).</param>
/// <param name="GenerationSqSq">Σ Sq² over the decode sequences.</param>
/// <param name="GenerationSqSk">Σ Sq·Sk over the decode sequences.</param>
public sealed record AttentionContext(
    long ContextSequences, long ContextSq, long ContextSk, long ContextSqSq, long ContextSqSk,
    long GenerationSequences, long GenerationSq, long GenerationSk, long GenerationSqSq, long GenerationSqSk)
{
    /// <summary>Query tokens of the step: Σ Sq over both parts.</summary>
    public long QueryTokens => ContextSq + GenerationSq;

    /// <summary>Key tokens of the step: Σ Sk over both parts (the KV-cache entries attention reads).</summary>
    public long KeyTokens => ContextSk + GenerationSk;

    /// <summary>Twice the query-key pairs attended: 2·Σ Sq·Sk − Σ Sq² (prefill, causal) + 2·Σ Sq·Sk (decode).</summary>
    public long TwicePairs => 2 * ContextSqSk - ContextSqSq + 2 * GenerationSqSk;

    // vLLM (TraceLens's detailed form): execute_32_context_0(sq0sk0sqsq0sqsk0)_generation_32(sq32sk32785sqsq32sqsk32785)
    private static readonly Regex Vllm = new(
        @"context_(\d+)\(sq(\d+)sk(\d+)sqsq(\d+)sqsk(\d+)\)_generation_(\d+)\(sq(\d+)sk(\d+)sqsq(\d+)sqsk(\d+)\)",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    // SGLang: step[DECODE bs=64 g_sq=128 g_sqsq=256 g_sqsk=262144 g_sk=131072], step[EXTEND bs=2 toks=14721 c_sq=...],
    // step[MIXED bs=2 c=1 g=1 c_sq=5 c_sk=8 c_sqsq=25 c_sqsk=40 g_sq=1 g_sk=12 g_sqsq=1 g_sqsk=12]
    private static readonly Regex Sglang = new(@"step\[(EXTEND|DECODE|MIXED)\b([^\]]*)\]",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    // ATOM: prefill[bs=2 tok=14721 ctx=[7803, 6918] sqsq=108745533 sqsk=108745533 sk=14721], decode[bs=32 tok=128 ... sk=65536]
    private static readonly Regex Atom = new(@"^(prefill|decode)\[(.*)\]$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex KeyValue = new(@"\b([a-z_]+)=(\d+)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>
    /// Parses a step annotation's name; null unless it carries the lengths: vLLM's
    /// <c>execute_N_context_C(sqAskBsqsqCsqskD)_generation_G(sq…sk…sqsq…sqsk…)</c>, SGLang's
    /// <c>step[EXTEND|DECODE|MIXED … c_sq= c_sk= c_sqsq= c_sqsk= g_sq= g_sk= g_sqsq= g_sqsk=]</c> (sequences: bs, or c= and
    /// g= for MIXED) or ATOM's <c>prefill[…]</c> / <c>decode[…]</c> with <c>tok= sk= sqsq= sqsk=</c> (a decode step that
    /// also holds prefill requests, <c>p=</c> above 0, mixes both parts in its sums and is not used). Plain annotations
    /// (<c>step[DECODE bs=32]</c>, <c>execute_context_1(888)_generation_0(0)</c>) give null: they have no Sk.
    /// </summary>
    /// <param name="annotation">The annotation's name.</param>
    public static AttentionContext? Parse(string? annotation)
    {
        if (string.IsNullOrEmpty(annotation)) return null;
        if (Vllm.Match(annotation) is { Success: true } m)
        {
            long G(int i) => long.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
            return new AttentionContext(G(1), G(2), G(3), G(4), G(5), G(6), G(7), G(8), G(9), G(10));
        }
        if (Sglang.Match(annotation) is { Success: true } s)
        {
            var kv = Values(s.Groups[2].Value);
            if (!kv.ContainsKey("c_sqsq") && !kv.ContainsKey("g_sqsq")) return null;
            long V(string key) => kv.GetValueOrDefault(key);
            var (c, g) = s.Groups[1].Value switch
            {
                "DECODE" => (0L, V("bs")),
                "EXTEND" => (V("bs"), 0L),
                _ => (V("c"), V("g")),
            };
            return new AttentionContext(c, V("c_sq"), V("c_sk"), V("c_sqsq"), V("c_sqsk"), g, V("g_sq"), V("g_sk"), V("g_sqsq"), V("g_sqsk"));
        }
        if (Atom.Match(annotation) is { Success: true } a)
        {
            var kv = Values(a.Groups[2].Value);
            if (!kv.ContainsKey("sqsq") || !kv.ContainsKey("sqsk") || !kv.ContainsKey("sk") || !kv.ContainsKey("tok")) return null;
            if (kv.GetValueOrDefault("p") > 0) return null;
            var (bs, tok, sk, sqsq, sqsk) = (kv.GetValueOrDefault("bs"), kv["tok"], kv["sk"], kv["sqsq"], kv["sqsk"]);
            return a.Groups[1].Value == "prefill"
                ? new AttentionContext(bs, tok, sk, sqsq, sqsk, 0, 0, 0, 0, 0)
                : new AttentionContext(0, 0, 0, 0, 0, bs, tok, sk, sqsq, sqsk);
        }
        return null;
    }

    /// <summary>The integer <c>key=value</c> pairs of an annotation body (the first of a repeated key; bs=117/128 gives 117).</summary>
    private static Dictionary<string, long> Values(string body)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match m in KeyValue.Matches(body))
            if (long.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                values.TryAdd(m.Groups[1].Value, v);
        return values;
    }
}
