using LlmPipeline.Analysis.Names;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>Kernel names as recorded in real ROCm traces, demangled by hand from the Itanium C++ ABI grammar.</summary>
public sealed class ItaniumDemanglerTests
{
    [Theory]
    // N 5aiter 24add_rmsnorm_quant_kernel I DF16b DF16b Li256E Li16E Lb0E Lb0E Lb1E Li1E E E, then the parameters (not read)
    [InlineData("_ZN5aiter24add_rmsnorm_quant_kernelIDF16bDF16bLi256ELi16ELb0ELb0ELb1ELi1EEEvPT0_PT_PfS4_S4_S4_diiiiiiib",
        "aiter::add_rmsnorm_quant_kernel<bfloat16, bfloat16, 256, 16, false, false, true, 1>")]
    // S_ = ck_tile (the first prefix); S0_ = ck_tile::kentry, S1_ = ck_tile::Rmsnorm2dFwd; a literal of an enum type is (type)value
    [InlineData("_ZN7ck_tile6kentryILi1ENS_12Rmsnorm2dFwdILNS_21Rmsnorm2dFusedAddEnumE1EEEEEvv",
        "ck_tile::kentry<1, ck_tile::Rmsnorm2dFwd<(ck_tile::Rmsnorm2dFusedAddEnum)1> >")]
    // Lin1E is -1, Lj0E 0 (unsigned), a pack J…E spreads its arguments
    [InlineData("_ZN2ns1fILin1ELj0EJifEEEvv", "ns::f<-1, 0, int, float>")]
    // an unscoped template, a pointer, a const qualifier, std:: through St
    [InlineData("_Z6kernelIPKfSt5arrayEvv", "kernel<float const*, std::array>")]
    // no template arguments
    [InlineData("_ZN3foo3barEv", "foo::bar")]
    public void Demangles_kernel_names(string mangled, string expected) =>
        Assert.Equal(expected, ItaniumDemangler.TryDemangle(mangled));

    [Fact]
    public void An_expression_in_the_template_arguments_keeps_the_qualified_name()
    {
        // X…E (an expression: the address of silu) is a form this reader does not know
        const string name = "_ZN7sgl_hip10activation18act_and_mul_kernelI14__hip_bfloat16TnPFT_RKS3_EXadL_Z4siluIS2_ES3_S5_EEEEvPS3_PS4_i";
        Assert.Equal("sgl_hip::activation::act_and_mul_kernel<…>", ItaniumDemangler.TryDemangle(name));
    }

    [Theory]
    [InlineData("void at::native::elementwise_kernel<128, 4>(int)")]
    [InlineData("_Z")]
    [InlineData("_ZQQQ")]
    [InlineData("Cijk_Alik_Bljk_BBS_BH")]
    public void Other_names_are_not_demangled(string name) => Assert.Null(ItaniumDemangler.TryDemangle(name));

    [Fact]
    public void Simplify_demangles_first()
    {
        // the demangled name has 83 characters: cut to 77 and "..."
        Assert.Equal("aiter::add_rmsnorm_quant_kernel<bfloat16, bfloat16, 256, 16, false, false, tr...",
            NameSimplifier.Simplify("_ZN5aiter24add_rmsnorm_quant_kernelIDF16bDF16bLi256ELi16ELb0ELb0ELb1ELi1EEEvPT0_PT_PfS4_S4_S4_diiiiiiib"));
    }

    [Fact]
    public void Unique_appends_the_first_free_suffix_within_80_characters()
    {
        var taken = new HashSet<string> { "gemm", "gemm#2", new string('x', 80) };
        Assert.Equal("norm", NameSimplifier.Unique("norm", taken.Contains));
        Assert.Equal("gemm#3", NameSimplifier.Unique("gemm", taken.Contains));
        Assert.Equal(new string('x', 78) + "#2", NameSimplifier.Unique(new string('x', 80), taken.Contains));
    }

    [Fact]
    public void Pathological_nesting_gives_up_instead_of_exhausting_the_stack()
    {
        // 100,000 pointer levels, then 100,000 nested template argument lists: far beyond any kernel name
        Assert.Equal("f<…>", ItaniumDemangler.TryDemangle("_Z1fI" + new string('P', 100_000) + "iEvv"));
        Assert.Equal("a<…>", ItaniumDemangler.TryDemangle("_Z1a" + string.Concat(Enumerable.Repeat("I1a", 100_000))));
        // within the limit a name still reads whole: three pointer levels
        Assert.Equal("f<int***>", ItaniumDemangler.TryDemangle("_Z1fIPPPiEvv"));
    }
}
