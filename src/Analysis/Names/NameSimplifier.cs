namespace LlmPipeline.Analysis.Names;

/// <summary>
/// Shortens a kernel name for display (docs/profiles.md, 'Name simplification'): an Itanium-mangled name
/// (<c>_ZN5aiter…</c>) is first demangled (<see cref="ItaniumDemangler"/>; a form it does not read stays raw); every
/// (find → replace) pair of the llm-pipeline-analysis scripts (universal, DeepSeek-V4 and DeepSeek-V3 pairs) is applied in order as a literal
/// replace-all to every name, whatever the profile (so <c>kernel_names.simplified_name</c> is one value per name);
/// then a result longer than 80 characters is cut to its first 77 characters followed by <c>...</c>.
/// </summary>
public static class NameSimplifier
{
    /// <summary>Maximum length of a simplified name.</summary>
    public const int MaxLength = 80;

    private static readonly (string Find, string Replace)[] Pairs =
    [
        // universal pairs
        ("void (anonymous namespace)::", ""),
        ("void at::native::", ""),
        ("void flashinfer::", ""),
        ("void deep_gemm::sm90_fp8_gemm_1d2d_impl", "deep_gemm::sm90_fp8_gemm_1d2d"),
        ("void fast_hadamard_transform_kernel", "fast_hadamard_transform_kernel"),
        ("void per_token_group_quant_8bit_kernel", "per_token_group_quant_8bit_kernel"),
        ("ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)", "ncclAllReduce_bf16_RING_LL"),
        ("norm::RMSNormKernel", "RMSNormKernel"),
        // DeepSeek-V4 pairs
        ("void deep_gemm::sm90_fp8_paged_mqa_logits", "deep_gemm::sm90_fp8_paged_mqa_logits"),
        ("void deep_gemm::sched::smxx_paged_mqa_logits_metadata", "deep_gemm::paged_mqa_logits_metadata"),
        ("void sm90::decode::sparse_fp8::flash_fwd_splitkv_mla_fp8_sparse_kernel", "flash_fwd_splitkv_mla_fp8_sparse"),
        ("void smxx::decode::flash_fwd_mla_combine_kernel", "flash_fwd_mla_combine"),
        ("void smxx::decode::get_mla_metadata_kernel", "get_mla_metadata"),
        ("mhc_pre_gemm_sqrsum_tilelang_kernel", "mhc_pre_gemm_sqrsum"),
        ("mhc_post_tilelang_kernel", "mhc_post_tilelang"),
        ("mhc_pre_big_fuse_tilelang_kernel", "mhc_pre_big_fuse"),
        // The DeepSeek-V3 pairs (sparse MLA, combine, metadata, fused_moe no-op) are already in the list above.
    ];

    /// <summary>The simplified display name of <paramref name="name"/> (at most <see cref="MaxLength"/> characters).</summary>
    public static string Simplify(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var s = ItaniumDemangler.TryDemangle(name) ?? name;
        foreach (var (find, replace) in Pairs)
        {
            if (s.Contains(find, StringComparison.Ordinal)) s = s.Replace(find, replace, StringComparison.Ordinal);
        }
        return s.Length > MaxLength ? string.Concat(s.AsSpan(0, MaxLength - 3), "...") : s;
    }

    /// <summary>
    /// <paramref name="simplified"/> when <paramref name="taken"/> says no other name has it, else the first of
    /// <c>#2</c>, <c>#3</c>, … appended that is free (the name cut first so that the result stays within
    /// <see cref="MaxLength"/>): two kernel names never share a simplified name.
    /// </summary>
    /// <param name="simplified">A result of <see cref="Simplify"/>.</param>
    /// <param name="taken">Whether a simplified name is already another kernel name's.</param>
    public static string Unique(string simplified, Func<string, bool> taken)
    {
        ArgumentNullException.ThrowIfNull(simplified);
        ArgumentNullException.ThrowIfNull(taken);
        if (!taken(simplified)) return simplified;
        for (var n = 2; ; n++)
        {
            var suffix = "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var head = simplified.Length + suffix.Length > MaxLength ? simplified[..(MaxLength - suffix.Length)] : simplified;
            if (!taken(head + suffix)) return head + suffix;
        }
    }

    /// <summary>
    /// The simplified name of a kernel name stored for the first time: <see cref="Simplify"/> made
    /// <see cref="Unique"/> against <paramref name="taken"/>, which then holds it too.
    /// </summary>
    /// <param name="name">The full kernel name.</param>
    /// <param name="taken">The simplified names other kernel names already have; the result is added.</param>
    public static string Claim(string name, ISet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var unique = Unique(Simplify(name), taken.Contains);
        taken.Add(unique);
        return unique;
    }
}
