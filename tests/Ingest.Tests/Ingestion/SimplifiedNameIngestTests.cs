using LlmPipeline.Ingest.Tests.Robustness;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>Simplified kernel names as ingest stores them: demangled, and never shared by two names (issue 21).</summary>
public sealed class SimplifiedNameIngestTests
{
    [Fact]
    public void Names_equal_after_the_80_character_cut_get_a_suffix_and_the_kernels_view_shows_both_names()
    {
        // 90 'k' then _a / _b: both simplify to 77 'k' and "..."; the second name in time order gets "#2" (cut to 78 + 2)
        var a = new string('k', 90) + "_a";
        var b = new string('k', 90) + "_b";
        using var x = Ingested.Json(Ingested.Trace(Ingested.Kernel(a, "1000"), Ingested.Kernel(b, "1010"), Ingested.Kernel(a, "1020")));
        Assert.Equal(
            [$"0|{a}|{new string('k', 77)}...", $"1|{b}|{new string('k', 77)}.#2", $"2|{a}|{new string('k', 77)}..."],
            x.Rows("SELECT kernel_idx, name, simplified_name FROM kernels ORDER BY kernel_idx"));
    }

    [Fact]
    public void A_mangled_name_is_stored_demangled()
    {
        const string mangled = "_ZN5aiter24add_rmsnorm_quant_kernelIDF16bDF16bLi64ELi8EEEvPT0_PT_";
        using var x = Ingested.Json(Ingested.Trace(Ingested.Kernel(mangled, "1000")));
        Assert.Equal(["aiter::add_rmsnorm_quant_kernel<bfloat16, bfloat16, 64, 8>"],
            x.Rows("SELECT simplified_name FROM kernel_names"));
    }
}
