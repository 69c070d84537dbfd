using System.Text.Json;

namespace LlmPipeline.Analysis.Phases;

/// <summary>
/// The last phase fallback (issue 4; docs/messy-traces.md, B35 "then GEMM size"; AMD-AGI/TraceLens#1009 "infer phase from
/// batch size in input shapes"): the token count M of a pass is the row count of the first input of its first GEMM
/// kernel's launching cpu_op (<c>kernels.input_dims</c>), and a pass whose M is far above the run's smallest per-pass M
/// is prefill. Conservative: no M (no <c>Input Dims</c>, e.g. CUDA-graph replays) means no phase.
/// </summary>
public static class GemmPhaseRule
{
    /// <summary>A pass is prefill when its M is at least this many times the run's smallest per-pass M ...</summary>
    public const long Ratio = 8;

    /// <summary>... and above this many tokens (a decode step's M is its batch size, rarely more than this).</summary>
    public const long MinPrefillTokens = 256;

    /// <summary>
    /// Token count M from a cpu_op's <c>Input Dims</c> JSON: the first input with at least two dimensions gives the
    /// product of all its dimensions but the last (<c>[[M,K],[K,N]]</c> → M; <c>[[B,S,K],[N,K]]</c> → B×S; aten::addmm's
    /// leading 1-D bias, <c>[[N],[M,K],[K,N]]</c>, is skipped).
    /// </summary>
    /// <param name="inputDims">JSON text such as <c>[[888,2880],[2880,640]]</c>; null or empty gives null.</param>
    /// <returns>M ≥ 1, or null when the text is absent, not JSON, or holds no input of two or more positive dimensions.</returns>
    public static long? TokenCount(string? inputDims)
    {
        if (string.IsNullOrWhiteSpace(inputDims)) return null;
        try
        {
            using var doc = JsonDocument.Parse(inputDims);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return null;
            foreach (var input in doc.RootElement.EnumerateArray())
            {
                if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() < 2) continue;
                var dims = new List<long>();
                foreach (var d in input.EnumerateArray())
                {
                    if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v <= 0) return null;
                    dims.Add(v);
                }
                long m = 1;
                for (var i = 0; i < dims.Count - 1; i++) m = checked(m * dims[i]);
                return m;
            }
            return null;
        }
        catch (Exception ex) when (ex is JsonException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// The phase of a pass from its M, relative to the run (conservative: a run whose passes all have similar M, one
    /// decode-only capture or a training loop alike, gets no phase from this rule): when the run's largest M qualifies as
    /// prefill (≥ <see cref="Ratio"/> × <paramref name="runMinM"/> and &gt; <see cref="MinPrefillTokens"/>), every pass that
    /// qualifies is prefill and the others are decode; otherwise null.
    /// </summary>
    /// <param name="m">The pass's M.</param>
    /// <param name="runMinM">Smallest per-pass M of the run (≥ 1).</param>
    /// <param name="runMaxM">Largest per-pass M of the run.</param>
    public static string? Classify(long m, long runMinM, long runMaxM)
    {
        static bool IsPrefill(long x, long min) => x > MinPrefillTokens && x >= Ratio * min;
        if (!IsPrefill(runMaxM, runMinM)) return null;
        return IsPrefill(m, runMinM) ? PhaseNames.Prefill : PhaseNames.Decode;
    }
}
