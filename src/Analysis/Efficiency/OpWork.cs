using System.Text.Json;

namespace LlmPipeline.Analysis.Efficiency;

/// <summary>
/// The work of one kernel, from its launching op's shapes: floating-point operations, bytes moved and the dtype whose
/// peak bounds it.
/// </summary>
/// <param name="OpClass">gemm, attention, elementwise (bytes only) or reduction (bytes only).</param>
/// <param name="Flops">FLOPs (multiply and add count 1 each), 0 for bytes-only kernels.</param>
/// <param name="Bytes">Bytes read plus written (inputs plus the inferred output, at their dtype sizes); null when a
/// tensor's dtype is unknown.</param>
/// <param name="ComputeDtype">Dtype key of the peak that bounds the FLOPs (<see cref="OpWork.DtypeKey"/>), null when
/// unknown.</param>
/// <param name="Formula">The formula with its numbers, e.g. <c>2*M*N*K+M*N M=8944 N=1024 K=1024</c>.</param>
public sealed record KernelWork(string OpClass, long Flops, long? Bytes, string? ComputeDtype, string Formula);

/// <summary>
/// FLOPs and bytes per kernel from the launching cpu_op's name, <c>Input Dims</c> and <c>Input type</c> (the formulas
/// TraceLens applies per PyTorch op; peers: TraceLens <c>perf_model</c>). Formulas:
/// <list type="bullet">
/// <item>GEMM (aten::mm, _scaled_mm, vendor gemm ops with A [M,K] and B [K,N] or [N,K]): 2·M·N·K; aten::addmm and
/// linear with a bias add M·N. bmm/baddbmm: 2·B·M·N·K (+B·M·N). Bytes: A + B (+ bias) + C [M,N].</item>
/// <item>Attention forward (aten::_scaled_dot_product_{flash,efficient,cudnn}_attention, scaled_dot_product_attention
/// with q [B,H,Sq,d]; aten::_flash_attention_forward and vendor flash ops with q [B,Sq,H,d]):
/// 2·B·H·Sq·Sk·(d_qk + d_v) = 4·B·H·Sq·Sk·d, halved when causal. Kineto stores no is_causal flag we keep, so
/// self-attention with Sq = Sk &gt; 1 (prefill of a decoder) counts as causal. Bytes: q + k + v + o (o shaped as q).</item>
/// <item>Elementwise, norm, rotary, copy, cat: bytes only, the inputs plus an output the size of the largest input
/// (in-place ops, name ending in <c>_</c>, write their first input: no extra output). Reductions (mean, sum, amax, ...):
/// the inputs only. Ops that index into a table (gather, index_select, embedding, KV-cache stores, paged attention) get
/// no bytes, since they touch only the rows they address; rotary ops leave out their cos/sin cache.</item>
/// <item>Grouped / MoE GEMMs (<see cref="IsGroupedGemm"/>: vLLM fused_moe / fused_experts / moe_forward, SGLang and aiter
/// fused MoE ops, DeepGEMM m_grouped_* and grouped_gemm ops), when the shapes say it: hidden states A [T, K], expert
/// weights W_j [E, N_j, K_j] (either orientation; fp32 3-D tensors are block scales and skipped) and top-k ids
/// [T, top_k] (an integer tensor), or for a contiguous grouped GEMM an integer m_indices [T] (top_k = 1, the rows
/// already being the token-expert pairs). FLOPs: 2·T·top_k·Σ_j(N_j·K_j) (one GEMM per expert weight, e.g. w13 and w2).
/// Bytes: A [T, K] in + the output [T, H_out] (the hidden size for a fused MLP of two or more weights, else N) +
/// the weights of the experts actually read, Σ_j W_j · min(E, T·top_k) / E. A masked layout (3-D A, tokens per expert
/// held in values) or missing top-k ids leave the op unknown. A kernel whose name says which of two expert GEMMs it runs
/// (stage1 / gate_up / fc1 / w13 / gemm1 / a fused swiglu: the first; stage2 / down / fc2 / w2 / gemm2: the second)
/// carries that GEMM's work, 2·T·top_k·N_j·K_j, with the bytes of its side (the first: A in and its weights read; the
/// second: its weights read and the output). Otherwise the work is split evenly over the op's GEMM kernels (one launch
/// per expert weight: vLLM's two fused_moe_kernel launches share their name and differ only in their grid, whose size
/// depends on the tile sizes the engine picked, so nothing recorded tells them apart); aiter's one-stage fmoe kernels
/// carry all of it; the op's routing, sorting, activation and sum kernels carry none.</item>
/// <item>Serving attention ops whose work depends on the step's lengths (<see cref="StepAttention"/>): decode / paged
/// attention (<see cref="IsDecodeAttention"/>: paged_attention, decode_attention, paged_attn ops; q [tokens, H, d] or
/// [B, 1, H, d], KV cache [blocks, block_size, H_kv, d] or the 5-D vLLM layout [blocks, H_kv, ...]) and the ops that
/// take a whole step, prefill and decode (<see cref="IsStepAttention"/>: vLLM unified_attention, aiter mha_batch_prefill,
/// varlen flash ops; q [tokens, H, d_qk], k [..., H_kv, d_qk], v [..., H_kv, d_v]). The KV cache's shape is its capacity,
/// so the lengths come from the step: seq_lens / context_lens values in <c>Concrete Inputs</c> (a 1-D integer input [B]
/// whose values are recorded) or the step annotation (<see cref="AttentionContext.Parse"/>). FLOPs
/// 2·H·(d_qk + d_v)·(Σ Sq·Sk − Σ Sq²/2 [prefill, causal] + Σ Sq·Sk [decode]) = 4·B·H·Sk·d for a uniform decode
/// batch; bytes H·(d_qk + d_v)·size(q)·Σ Sq (q and out) + H_kv·(d_qk + d_v)·size(kv)·Σ Sk (the K and V read), as
/// <see cref="StepAttentionWork"/> states. Without the lengths the op stays unknown.</item>
/// </list>
/// The GEMM's compute dtype is the lower precision of its A and B dtypes; fp32 GEMMs are bounded by the fp32
/// (non-tensor-core) peak, since PyTorch disables TF32 for matmul by default.
/// </summary>
public static class OpWork
{
    /// <summary>
    /// The work of a kernel launched by <paramref name="opName"/>; null when the op is unknown, its shapes are missing,
    /// or the kernel is a helper of the op (memset, split-K or paged-attention reduce) that carries none of its work.
    /// </summary>
    /// <param name="opName">The launching cpu_op, e.g. <c>aten::addmm</c>.</param>
    /// <param name="inputDims">Its Input Dims as JSON text (list of lists), e.g. <c>[[1024],[8944,1024],[1024,1024],[],[]]</c>.</param>
    /// <param name="inputTypes">Its Input type as JSON text (list of strings), null when unknown.</param>
    /// <param name="kernelName">The kernel's full name.</param>
    /// <param name="concreteInputs">Its Concrete Inputs as JSON text, null when not recorded (decode attention reads
    /// seq_lens values from it).</param>
    /// <param name="attention">The pass's attention context lengths from a TraceLens-style annotation, null when none.</param>
    public static KernelWork? Of(string? opName, string? inputDims, string? inputTypes, string kernelName,
        string? concreteInputs = null, AttentionContext? attention = null)
    {
        if (opName is null || inputDims is null) return null;
        List<long[]?> dims;
        List<string?> types;
        try
        {
            dims = ParseDims(inputDims);
            types = inputTypes is null ? [] : ParseTypes(inputTypes);
        }
        catch (JsonException) { return null; }
        var op = opName.ToLowerInvariant();
        var helper = IsHelperKernel(kernelName);
        if (IsDecodeAttention(op) || IsStepAttention(op))
        {
            if (helper || StepAttentionOf(op, dims, types) is not { } step) return null;
            if (step.GenerationOnly && SeqLens(dims, types, concreteInputs, step.QueryTokens) is { } lens)
            {
                var sum = lens.Sum();
                return step.Evaluate(new AttentionContext(0, 0, 0, 0, 0, lens.Length, lens.Length, sum, lens.Length, sum), "seq_lens");
            }
            return step.Evaluate(attention);
        }
        if (IsAttention(op)) return helper ? null : Attention(op, dims, types);
        if (IsGroupedGemm(op)) return helper ? null : GroupedGemm(dims, types, kernelName);
        if (IsGemm(op)) return helper ? null : Gemm(op, dims, types);
        return BytesOnly(op, dims, types);
    }

    /// <summary>Dtype key of a PyTorch <c>Input type</c> (c10::BFloat16 → bf16, float → fp32, c10::Half → fp16,
    /// c10::Float8_* → fp8, c10::Float4_* → fp4, signed/unsigned char → int8); null for others.</summary>
    /// <param name="torchType">An <c>Input type</c> entry.</param>
    public static string? DtypeKey(string? torchType) => torchType?.ToLowerInvariant() switch
    {
        "c10::bfloat16" or "bfloat16" => "bf16",
        "c10::half" or "half" => "fp16",
        "float" => "fp32",
        "double" => "fp64",
        "signed char" or "unsigned char" or "c10::qint8" => "int8",
        { } t when t.Contains("float8", StringComparison.Ordinal) => "fp8",
        { } t when t.Contains("float4", StringComparison.Ordinal) => "fp4",
        _ => null,
    };

    /// <summary>Bytes per element of a PyTorch <c>Input type</c>; null when unknown (Scalar, TensorList, empty).</summary>
    /// <param name="torchType">An <c>Input type</c> entry.</param>
    public static double? ElementBytes(string? torchType) => torchType?.ToLowerInvariant() switch
    {
        "c10::bfloat16" or "c10::half" or "short int" or "short" => 2,
        "float" or "int" or "unsigned int" => 4,
        "double" or "long int" or "long" or "long long" or "c10::complex<float>" => 8,
        "signed char" or "unsigned char" or "bool" or "c10::qint8" or "c10::quint8" => 1,
        { } t when t.Contains("float8", StringComparison.Ordinal) => 1,
        { } t when t.Contains("float4", StringComparison.Ordinal) => 1, // Float4_e2m1fn_x2 packs two values per byte
        _ => null,
    };

    private static readonly string[] PrecisionOrder = ["fp4", "int8", "fp8", "fp16", "bf16", "tf32", "fp32", "fp64"];

    /// <summary>The lower precision of two dtype keys (fp8 × fp4 → fp4); either one when the other is null.</summary>
    /// <param name="a">A dtype key.</param>
    /// <param name="b">Another dtype key.</param>
    public static string? LowerPrecision(string? a, string? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        return Array.IndexOf(PrecisionOrder, a) <= Array.IndexOf(PrecisionOrder, b) ? a : b;
    }

    private static bool IsHelperKernel(string kernel)
    {
        var k = kernel.ToLowerInvariant();
        return k.Contains("memset", StringComparison.Ordinal) || k.Contains("memcpy", StringComparison.Ordinal)
               || k.Contains("splitkreduce", StringComparison.Ordinal) || k.Contains("reduce_kernel", StringComparison.Ordinal)
               || k.Contains("fillfunctor", StringComparison.Ordinal) || k.Contains("reduce_segments", StringComparison.Ordinal);
    }

    private static bool IsAttention(string op) =>
        op.Contains("scaled_dot_product", StringComparison.Ordinal) || op.Contains("flash_attention_forward", StringComparison.Ordinal)
        || op.Contains("efficient_attention_forward", StringComparison.Ordinal)
        || (op.Contains("flash", StringComparison.Ordinal) && op.Contains("fwd", StringComparison.Ordinal))
        || op.Contains("flash_attn", StringComparison.Ordinal);

    private static bool IsGemm(string op) => op is "aten::mm" or "aten::addmm" or "aten::bmm" or "aten::baddbmm" or "aten::matmul"
        or "aten::linear" or "aten::_scaled_mm" or "aten::_addmm_activation"
        || (!op.StartsWith("aten::", StringComparison.Ordinal) && (op.Contains("gemm", StringComparison.Ordinal) || op.Contains("_mm", StringComparison.Ordinal)
            || op.Contains("matmul", StringComparison.Ordinal)) && !op.Contains("grouped", StringComparison.Ordinal) && !op.Contains("moe", StringComparison.Ordinal));

    /// <summary>Whether <paramref name="opName"/> is a grouped / MoE GEMM op: a name with <c>moe</c> (vLLM fused_moe,
    /// fused_experts, moe_forward; sgl_kernel and aiter fused_moe), <c>fused_experts</c>, <c>grouped_gemm</c> or
    /// <c>m_grouped</c> (DeepGEMM), except routing helpers (align, sort, topk, sum, gate).</summary>
    /// <param name="opName">The launching cpu_op.</param>
    public static bool IsGroupedGemm(string opName)
    {
        var op = opName.ToLowerInvariant();
        if (!(op.Contains("moe", StringComparison.Ordinal) || op.Contains("fused_experts", StringComparison.Ordinal)
              || op.Contains("grouped_gemm", StringComparison.Ordinal) || op.Contains("m_grouped", StringComparison.Ordinal))) return false;
        return !(op.Contains("align", StringComparison.Ordinal) || op.Contains("sort", StringComparison.Ordinal) || op.Contains("topk", StringComparison.Ordinal)
                 || op.Contains("moe_sum", StringComparison.Ordinal) || op.Contains("gate", StringComparison.Ordinal) || op.Contains("gating", StringComparison.Ordinal));
    }

    private static KernelWork? GroupedGemm(List<long[]?> dims, List<string?> types, string kernelName)
    {
        if (types.Count == 0) return null;
        // Expert weights: 3-D tensors [E, N, K] / [E, K, N] of one E, not fp32 (block scales are fp32 3-D tensors).
        var weights = new List<int>();
        for (var i = 0; i < dims.Count; i++)
            if (dims[i] is { Length: 3 } d && At(types, i) is { } t && t != "float" && ElementBytes(t) is not null
                && (weights.Count == 0 || dims[weights[0]]![0] == d[0])) weights.Add(i);
        if (weights.Count == 0) return null;
        var e = dims[weights[0]]![0];
        // Hidden states A [T, K]: the first 2-D float tensor before the weights whose K is a dim of the first weight.
        var w0 = dims[weights[0]]!;
        var ia = -1;
        for (var i = 0; i < weights[0]; i++)
            if (dims[i] is { Length: 2 } d && DtypeKey(At(types, i)) is not null and not "int8" && (d[1] == w0[1] || d[1] == w0[2])) { ia = i; break; }
        if (ia < 0) return null;
        long t0 = dims[ia]![0], k = dims[ia]![1];
        // top_k from integer top-k ids [T, top_k]; a contiguous grouped GEMM has integer m_indices [T] instead (top_k = 1).
        long? topK = null;
        for (var i = 0; i < dims.Count && topK is null; i++)
        {
            if (i == ia || weights.Contains(i) || dims[i] is not { } d || !IsInteger(At(types, i)) || d[0] != t0) continue;
            if (d.Length == 2 && d[1] >= 1 && d[1] <= e) topK = d[1];
            else if (d.Length == 1 && weights.Count == 1) topK = 1;
        }
        if (topK is not long top) return null;
        long kn = 0;
        double weightBytes = 0;
        foreach (var i in weights)
        {
            var d = dims[i]!;
            kn += d[1] * d[2];
            weightBytes += Product(d) * ElementBytes(At(types, i))!.Value;
        }
        var flops = 2 * t0 * top * kn;
        var read = Math.Min(e, t0 * top);
        // Output: the hidden size for a fused MLP (two or more weights), else the weight's dim that is not K.
        var nOut = weights.Count > 1 ? k : (w0[2] == k ? w0[1] : w0[2]);
        double? bytes = null;
        if (ElementBytes(At(types, ia)) is double ea)
        {
            var outElem = Math.Max(ea, 2); // fp8 activations: the MoE writes bf16 (or wider)
            bytes = t0 * k * ea + t0 * nOut * outElem + weightBytes * read / e;
        }
        var formula = $"2*T*top_k*sum(N*K) T={t0} top_k={top} sum(N*K)={kn} E={e} experts_read={read}";
        // Split over the op's GEMM launches: one per expert weight, unless a one-stage fused kernel (aiter fmoe).
        var kern = kernelName.ToLowerInvariant();
        var oneStage = kern.Contains("fmoe", StringComparison.Ordinal) && !kern.Contains("stage", StringComparison.Ordinal);
        var gemmKernel = oneStage || kern.Contains("gemm", StringComparison.Ordinal) || kern.Contains("fused_moe", StringComparison.Ordinal)
                         || kern.Contains("moe_stage", StringComparison.Ordinal) || kern.Contains("grouped", StringComparison.Ordinal)
                         || kern.Contains("cutlass", StringComparison.Ordinal) || kern.Contains("cijk", StringComparison.Ordinal)
                         || kern.Contains("ck_moe", StringComparison.Ordinal) || kern.Contains("stage", StringComparison.Ordinal)
                         || kern.Contains("matmul_ogs", StringComparison.Ordinal);
        if (!gemmKernel || kern.Contains("align", StringComparison.Ordinal) || kern.Contains("sort", StringComparison.Ordinal)
            || kern.Contains("topk", StringComparison.Ordinal) || kern.Contains("moe_sum", StringComparison.Ordinal)) return null;
        var dtype = LowerPrecision(DtypeKey(At(types, ia)), DtypeKey(At(types, weights[0])));
        // A kernel whose name says which of two expert GEMMs it runs carries that GEMM's work: the first (gate/up, w13)
        // reads the hidden states and its weights, the second (down, w2) its weights and writes the output.
        if (!oneStage && weights.Count == 2 && ExpertGemm(kern) is int j)
        {
            var wj = dims[weights[j]]!;
            var ej = ElementBytes(At(types, weights[j]))!.Value;
            double? part = bytes is null ? null
                : Product(wj) * ej * read / e + (j == 0 ? t0 * k * ElementBytes(At(types, ia))!.Value : t0 * nOut * Math.Max(ElementBytes(At(types, ia))!.Value, 2));
            formula = $"2*T*top_k*N*K T={t0} top_k={top} N*K={wj[1] * wj[2]} E={e} experts_read={read} (expert GEMM {j + 1} of 2, by kernel name)";
            return new KernelWork("gemm", 2 * t0 * top * wj[1] * wj[2], part is double pb ? (long)Math.Round(pb) : null,
                LowerPrecision(DtypeKey(At(types, ia)), DtypeKey(At(types, weights[j]))), formula);
        }
        var split = oneStage ? 1 : weights.Count;
        if (split > 1) formula += $" /{split} (one launch per expert weight)";
        return new KernelWork("gemm", flops / split, bytes is double by ? (long)Math.Round(by / split) : null, dtype, formula);
    }

    private static readonly System.Text.RegularExpressions.Regex FirstExpertGemm = new(
        "(?<![a-z0-9])(stage_?1|gate_up|fc1|w13|gemm1)(?![a-z0-9])|swiglu", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly System.Text.RegularExpressions.Regex SecondExpertGemm = new(
        "(?<![a-z0-9])(stage_?2|down|fc2|w2|gemm2)(?![a-z0-9])", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Which expert GEMM a grouped-GEMM kernel's (lower-case) name says it runs: 0 for the first (stage1,
    /// gate_up, fc1, w13, gemm1, or a fused swiglu activation), 1 for the second (stage2, down, fc2, w2, gemm2); null when
    /// it says neither or both.</summary>
    private static int? ExpertGemm(string kernel)
    {
        var first = FirstExpertGemm.IsMatch(kernel);
        var second = SecondExpertGemm.IsMatch(kernel);
        return first == second ? null : first ? 0 : 1;
    }

    /// <summary>Whether <paramref name="opName"/> is a decode / paged attention op (its name has paged_attention,
    /// paged_attn, decode_attention or decode_attn), e.g. SGLang's <c>attention_paged_attention_ragged</c>.</summary>
    /// <param name="opName">The launching cpu_op.</param>
    public static bool IsDecodeAttention(string opName)
    {
        var op = opName.ToLowerInvariant();
        return op.Contains("paged_attention", StringComparison.Ordinal) || op.Contains("paged_attn", StringComparison.Ordinal)
               || op.Contains("decode_attention", StringComparison.Ordinal) || op.Contains("decode_attn", StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="opName"/> is an attention op that takes a serving step's prefill and decode tokens
    /// together, with q [tokens, H, d_qk]: vLLM's unified_attention (unified_attention_with_output), aiter's
    /// mha_batch_prefill, and varlen flash / mha ops (mha_varlen_fwd, fmha_v3_varlen_fwd, flash_attn_varlen_func).</summary>
    /// <param name="opName">The launching cpu_op.</param>
    public static bool IsStepAttention(string opName)
    {
        var op = opName.ToLowerInvariant();
        return op.Contains("unified_attention", StringComparison.Ordinal) || op.Contains("mha_batch_prefill", StringComparison.Ordinal)
               || (op.Contains("varlen", StringComparison.Ordinal) && (op.Contains("attn", StringComparison.Ordinal)
                   || op.Contains("mha", StringComparison.Ordinal) || op.Contains("attention", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The work per query-key pair, query token and key token of a kernel of a serving attention op
    /// (<see cref="IsDecodeAttention"/> or <see cref="IsStepAttention"/>), which the step's lengths complete
    /// (<see cref="StepAttentionWork.Evaluate"/>); null for other ops, a helper kernel of the op (its reduce kernel), or
    /// shapes that do not give H, H_kv and the head dims.
    /// </summary>
    /// <param name="opName">The launching cpu_op.</param>
    /// <param name="inputDims">Its Input Dims as JSON text.</param>
    /// <param name="inputTypes">Its Input type as JSON text, null when unknown.</param>
    /// <param name="kernelName">The kernel's full name.</param>
    public static StepAttentionWork? StepAttention(string? opName, string? inputDims, string? inputTypes, string kernelName)
    {
        if (opName is null || inputDims is null || IsHelperKernel(kernelName)) return null;
        var op = opName.ToLowerInvariant();
        if (!IsDecodeAttention(op) && !IsStepAttention(op)) return null;
        try { return StepAttentionOf(op, ParseDims(inputDims), inputTypes is null ? [] : ParseTypes(inputTypes)); }
        catch (JsonException) { return null; }
    }

    private static StepAttentionWork? StepAttentionOf(string op, List<long[]?> dims, List<string?> types)
    {
        if (dims.Count < 2 || dims[0] is not { } q || ElementBytes(At(types, 0)) is not double eq) return null;
        long tokens, h, dqk, dv, hkv = -1;
        double ekv = 0;
        bool decode = IsDecodeAttention(op);
        if (decode)
        {
            if (q.Length == 3) (tokens, h, dqk) = (q[0], q[1], q[2]);
            else if (q.Length == 4 && q[1] == 1) (tokens, h, dqk) = (q[0], q[2], q[3]);
            else return null;
            dv = dqk;
            // KV cache: the first 4-D or 5-D tensor after q; [blocks, block_size, H_kv, d] or [blocks, H_kv, d/x, block, x].
            for (var i = 1; i < dims.Count; i++)
            {
                if (dims[i] is { Length: 4 } c && c[3] == dqk && ElementBytes(At(types, i)) is double e4) { (hkv, ekv) = (c[2], e4); break; }
                if (dims[i] is { Length: 5 } c5 && ElementBytes(At(types, i)) is double e5) { (hkv, ekv) = (c5[1], e5); break; }
            }
        }
        else
        {
            // q [tokens, H, d_qk], k [..., H_kv, d_qk] (new keys or a paged cache), v [..., H_kv, d_v].
            if (q.Length != 3 || dims.Count < 3 || dims[1] is not { Length: >= 3 } k || dims[2] is not { Length: >= 3 } v) return null;
            (tokens, h, dqk) = (q[0], q[1], q[2]);
            if (k[^1] != dqk || v[^2] != k[^2] || ElementBytes(At(types, 1)) is not double ek) return null;
            (hkv, ekv, dv) = (k[^2], ek, v[^1]);
        }
        if (tokens <= 0 || hkv <= 0 || h % hkv != 0) return null;
        var formula = $"2*H*(d_qk+d_v)*(c_sqsk-c_sqsq/2+g_sqsk) H={h} d_qk={dqk} d_v={dv} H_kv={hkv} tokens={tokens} ({(decode ? "decode part" : "both parts")})";
        return new StepAttentionWork(tokens, 2 * h * (dqk + dv), (long)Math.Round(h * (dqk + dv) * eq), (long)Math.Round(hkv * (dqk + dv) * ekv),
            decode, DtypeKey(At(types, 0)), formula);
    }

    // seq_lens / context_lens: a 1-D integer input [B] whose values Concrete Inputs records (B = the query tokens).
    private static long[]? SeqLens(List<long[]?> dims, List<string?> types, string? concreteInputs, long batch)
    {
        if (concreteInputs is null) return null;
        List<string?> concrete;
        try { concrete = ParseTypes(concreteInputs); }
        catch (JsonException) { return null; }
        for (var i = 1; i < dims.Count && i < concrete.Count; i++)
        {
            if (dims[i] is not { Length: 1 } d || d[0] != batch || !IsInteger(At(types, i)) || concrete[i] is not { Length: > 2 } text) continue;
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind != JsonValueKind.Array) continue;
                var values = doc.RootElement.EnumerateArray().Select(x => x.TryGetInt64(out var v) ? v : -1).ToArray();
                if (values.Length == batch && values.All(v => v >= 0)) return values;
            }
            catch (JsonException) { }
        }
        return null;
    }

    private static bool IsInteger(string? t) => t is "int" or "long int" or "long" or "unsigned int" or "long long" or "short int";

    private static KernelWork? Gemm(string op, List<long[]?> dims, List<string?> types)
    {
        long b = 1, m, n, k;
        int ia, ib, ibias = -1;
        switch (op)
        {
            case "aten::addmm" or "aten::_addmm_activation" or "aten::baddbmm":
                (ibias, ia, ib) = (0, 1, 2);
                break;
            case "aten::linear":
                (ia, ib) = (0, 1);
                if (dims.Count > 2 && dims[2] is { Length: > 0 }) ibias = 2;
                break;
            default:
                (ia, ib) = (0, 1);
                break;
        }
        if (dims.Count <= Math.Max(ia, ib) || dims[ia] is not { Length: >= 2 } a || dims[ib] is not { Length: >= 1 } w) return null;
        var batched = op is "aten::bmm" or "aten::baddbmm";
        if (batched)
        {
            if (a.Length != 3 || w.Length != 3) return null;
            (b, m, k, n) = (a[0], a[1], a[2], w[2]);
        }
        else
        {
            // A [..., K]: M is the product of the leading dims (linear/matmul flatten them).
            k = a[^1];
            m = 1;
            for (var i = 0; i < a.Length - 1; i++) m *= a[i];
            if (w.Length != 2) return null;
            if (op == "aten::linear") n = w[0];                  // weight [N, K]
            else if (w[0] == k) n = w[1];                        // B [K, N]
            else if (w[1] == k) n = w[0];                        // B [N, K] (vendor ops: aiter gemm_a16w16, fp8 GEMMs)
            else return null;
        }
        var flops = 2 * b * m * n * k;
        var formula = batched ? $"2*B*M*N*K B={b} M={m} N={n} K={k}" : $"2*M*N*K M={m} N={n} K={k}";
        long? bias = null;
        if (ibias >= 0 && dims.Count > ibias && dims[ibias] is { Length: > 0 } bd)
        {
            flops += b * m * n;
            formula = formula.Replace("K ", "K+" + (batched ? "B*M*N " : "M*N "), StringComparison.Ordinal);
            bias = Product(bd);
        }
        var ta = At(types, ia);
        var tb = At(types, ib);
        var dtype = LowerPrecision(DtypeKey(ta), DtypeKey(tb));
        double? bytes = null;
        if (ElementBytes(ta) is double ea && ElementBytes(tb) is double eb)
        {
            var outElem = ElementBytes(ibias >= 0 ? At(types, ibias) ?? ta : ta) ?? ea;
            if (op == "aten::_scaled_mm" || ea < 2) outElem = Math.Max(outElem, 2); // fp8/int8 GEMMs write bf16 (or wider)
            bytes = b * m * k * ea + b * k * n * eb + b * m * n * outElem + (bias is long bb ? bb * (ElementBytes(At(types, ibias)) ?? outElem) : 0);
        }
        return new KernelWork("gemm", flops, bytes is double by ? (long)Math.Round(by) : null, dtype, formula);
    }

    private static KernelWork? Attention(string op, List<long[]?> dims, List<string?> types)
    {
        if (dims.Count < 3 || dims[0] is not { Length: 4 } q || dims[1] is not { Length: 4 } kk || dims[2] is not { Length: 4 } v) return null;
        // aten::_scaled_dot_product_* and scaled_dot_product_attention: [B, H, S, d]; flash-style ops: [B, S, H, d].
        var bhsd = op.Contains("scaled_dot_product", StringComparison.Ordinal);
        long bsz = q[0], h = bhsd ? q[1] : q[2], sq = bhsd ? q[2] : q[1], sk = bhsd ? kk[2] : kk[1], dqk = q[3], dv = v[3];
        var flops = 2 * bsz * h * sq * sk * (dqk + dv);
        var causal = sq == sk && sq > 1;
        if (causal) flops /= 2;
        var formula = $"2*B*H*Sq*Sk*(d_qk+d_v){(causal ? "/2 (causal)" : "")} B={bsz} H={h} Sq={sq} Sk={sk} d_qk={dqk} d_v={dv}";
        long? bytes = null;
        if (ElementBytes(At(types, 0)) is double e0 && ElementBytes(At(types, 1)) is double e1 && ElementBytes(At(types, 2)) is double e2)
            bytes = (long)Math.Round(Product(q) * e0 + Product(kk) * e1 + Product(v) * e2 + bsz * h * sq * dv * e0);
        return new KernelWork("attention", flops, bytes, DtypeKey(At(types, 0)), formula);
    }

    private static readonly string[] IndexedOps = ["gather", "index", "embedding", "cache", "paged", "attention", "scatter"];

    private static readonly string[] Reductions = ["mean", "sum", "amax", "amin", "max", "min", "norm", "all", "any", "argmax", "argmin", "prod", "var", "std"];

    private static KernelWork? BytesOnly(string op, List<long[]?> dims, List<string?> types)
    {
        if (types.Count == 0) return null;
        // Ops that index into a table (embedding, gather, KV-cache stores, paged attention) touch only the rows they
        // address, which the shapes do not say: no bytes rather than the whole table.
        if (IndexedOps.Any(n => op.Contains(n, StringComparison.Ordinal))) return null;
        var rotary = op.Contains("rotary", StringComparison.Ordinal) || op.Contains("rope", StringComparison.Ordinal);
        var bare = op.Contains("::", StringComparison.Ordinal) ? op[(op.LastIndexOf("::", StringComparison.Ordinal) + 2)..] : op;
        var reduction = Array.IndexOf(Reductions, bare.TrimEnd('_')) >= 0;
        var inPlace = bare.EndsWith('_');
        double total = 0, largest = 0;
        string? dtype = null;
        var any = false;
        for (var i = 0; i < dims.Count; i++)
        {
            if (dims[i] is not { Length: > 0 } d) continue;            // scalars and empty lists move no tensor bytes
            var t = At(types, i);
            if (t is "TensorList" or "GenericList") continue;          // a list of tensors: dims were flattened away
            if (ElementBytes(t) is not double e) return null;          // a tensor of unknown dtype: do not guess
            var size = Product(d) * e;
            if (rotary && d.Length == 2 && dims.Count > 1 && dims[1] is { Length: 2 } x && d[0] > x[0] && i != 1) continue; // the cos/sin cache: rows by position
            total += size;
            any = true;
            if (size > largest) (largest, dtype) = (size, DtypeKey(t));
        }
        if (!any) return null;
        if (!reduction && !inPlace) total += largest;
        var formula = reduction ? "inputs" : inPlace ? "inputs (in place)" : "inputs + output (largest input)";
        return new KernelWork(reduction ? "reduction" : "elementwise", 0, (long)Math.Round(total), dtype, formula);
    }

    private static string? At(List<string?> list, int i) => i >= 0 && i < list.Count ? list[i] : null;

    private static long Product(long[] d)
    {
        long p = 1;
        foreach (var x in d) p *= x;
        return p;
    }

    private static List<long[]?> ParseDims(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<long[]?>();
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return list;
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Array) { list.Add(null); continue; }
            var numbers = new List<long>();
            var nested = false;
            foreach (var x in e.EnumerateArray())
            {
                if (x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out var v)) numbers.Add(v);
                else nested = true;
            }
            list.Add(nested ? null : numbers.ToArray());
        }
        return list;
    }

    private static List<string?> ParseTypes(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<string?>();
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return list;
        foreach (var e in doc.RootElement.EnumerateArray()) list.Add(e.ValueKind == JsonValueKind.String ? e.GetString() : null);
        return list;
    }
}

