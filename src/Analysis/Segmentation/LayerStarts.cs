using System.Runtime.CompilerServices;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// Where transformer layers start (docs/segmentation.md, "Layer boundaries"): a layer starts at its <b>input
/// normalization</b>, the first kernel of the RMSNorm / LayerNorm that feeds its attention, and runs up to the next
/// layer's start. The anchor kernel only gives the period: wherever it sits in the layer (attention, rotary, SiLU, an
/// MLA combine), layer k's start lies after anchor k−1 and at or before anchor k.
/// </summary>
/// <remarks>
/// <para>A <i>norm start</i> is the first kernel of a normalization: a kernel of the <c>norm</c> category group whose
/// predecessor is not one (a fused residual-add + norm such as <c>fused_add_rms_norm</c> or <c>add_rmsnorm</c>
/// counts, and belongs to the layer whose input it normalizes), or, for an eager PyTorch RMSNorm written as separate
/// kernels (<c>x.to(float32)</c>, <c>pow</c>, <c>mean</c>, <c>add</c>, <c>rsqrt</c>, <c>mul</c>, <c>to(dtype)</c>,
/// <c>mul</c>, as Hugging Face <c>LlamaRMSNorm</c>/<c>Qwen2RMSNorm</c> run it), its first kernel: the dtype-cast
/// copy just before the <c>pow</c> that precedes the <c>rsqrt</c>.</para>
/// <para>Between anchor k−1 and anchor k lie the norms of layer k−1 after its anchor, then layer k's input norm and
/// the norms between it and the anchor (q/k-norms, MLA's latent norms). Counted from the anchor backwards, the input
/// norm is therefore always the c-th norm start, where c is the number of norm starts of a layer from its start up to
/// its anchor: the pass's own template. c is read where a layer is preceded by no layer, between the start of a pass
/// (after its idle gap) and its first anchor, and its most common value over the complete passes is used.</para>
/// </remarks>
internal sealed class LayerStarts
{
    private readonly bool[] _normStart;
    private readonly int[] _prefix; // _prefix[i] = norm starts among kernels [0, i)

    /// <summary>Finds the norm starts of <paramref name="k"/>.</summary>
    /// <param name="k">The device's kernels in start order.</param>
    /// <param name="normGroup">Per name id: the category group is <c>norm</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public LayerStarts(KernelSequence k, bool[] normGroup)
    {
        var n = k.Count;
        var names = k.Names;
        var rsqrt = new bool[names.Count];
        var pow = new bool[names.Count];
        var cast = new bool[names.Count];
        for (var id = 0; id < names.Count; id++)
        {
            if (normGroup[id]) continue;
            var name = names[id];
            rsqrt[id] = name.Contains("rsqrt", StringComparison.OrdinalIgnoreCase);
            pow[id] = name.Contains("pow_", StringComparison.OrdinalIgnoreCase) || name.Contains("pow<", StringComparison.OrdinalIgnoreCase);
            cast[id] = name.Contains("copy", StringComparison.OrdinalIgnoreCase);
        }
        _normStart = new bool[n];
        for (var j = 0; j < n; j++)
        {
            var id = k.NameId[j];
            if (normGroup[id])
            {
                if (j == 0 || !normGroup[k.NameId[j - 1]]) _normStart[j] = true;
                continue;
            }
            if (!rsqrt[id]) continue;
            // Eager RMSNorm: the pow (x^2) lies at most four kernels before the rsqrt (pow, mean, add eps, rsqrt).
            var start = -1;
            for (var p = j - 1; p >= Math.Max(0, j - 4); p--)
            {
                if (pow[k.NameId[p]]) { start = p; break; }
            }
            if (start < 0) continue;
            if (start > 0 && cast[k.NameId[start - 1]]) start--;
            _normStart[start] = true;
        }
        _prefix = new int[n + 1];
        for (var j = 0; j < n; j++) _prefix[j + 1] = _prefix[j] + (_normStart[j] ? 1 : 0);
    }

    /// <summary>Whether kernel <paramref name="j"/> is the first kernel of a normalization.</summary>
    public bool IsNormStart(int j) => _normStart[j];

    /// <summary>Norm starts among kernels (<paramref name="after"/>, <paramref name="upTo"/>] (both kernel indices).</summary>
    public int Count(int after, int upTo) => upTo <= after ? 0 : _prefix[upTo + 1] - _prefix[Math.Max(after, -1) + 1];

    /// <summary>The <paramref name="c"/>-th norm start (1 = the last) among kernels (<paramref name="after"/>,
    /// <paramref name="upTo"/>], counted backwards from <paramref name="upTo"/>; -1 when there are fewer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int NthFromEnd(int after, int upTo, int c)
    {
        if (c <= 0) return -1;
        var seen = 0;
        for (var j = upTo; j > after && j >= 0; j--)
        {
            if (!_normStart[j]) continue;
            if (++seen == c) return j;
        }
        return -1;
    }

    /// <summary>The last norm start among kernels (<paramref name="after"/>, <paramref name="before"/>), or -1.</summary>
    public int LastBefore(int after, int before) => NthFromEnd(after, before - 1, 1);
}
