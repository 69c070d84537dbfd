using LlmPipeline.Analysis.Names;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

public sealed class NameShortenerTests
{
    private const string Fill = "void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, std::array<char*, 1> >(int, at::native::FillFunctor<float>, std::array<char*, 1>)";

    [Theory]
    // 132 characters; each step only as far as the width needs
    [InlineData(200, Fill)]
    [InlineData(100, "at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, std::array<char*, 1> >")]
    // inner lists elided: "at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<…>, std::array<…> >" (41 + 4 + 26 + 2 + 13 + 2 = 88)
    [InlineData(88, "at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<…>, std::array<…> >")]
    // then the outer list keeps what fits: 60 - 41 (head) - 2 (brackets) - 1 (mark) = 16 characters
    [InlineData(60, "at::native::vectorized_elementwise_kernel<4, at::native::F…>")]
    [InlineData(45, "at::native::vectorized_elementwise_kernel<4…>")]
    // the head is too long even with one argument character: all arguments go, then the middle
    // ("at::native::vectorized_elementwise_kernel<…>": 20 head characters, the mark, (30 - 1) / 3 = 9 tail characters)
    [InlineData(30, "at::native::vectoriz…kernel<…>")]
    public void Kernel_names_keep_their_namespace_head(int width, string expected)
    {
        var s = NameShortener.Shorten(Fill, width);
        Assert.Equal(expected, s);
        Assert.True(s.Length <= width);
    }

    [Fact]
    public void Text_with_spaces_loses_its_middle()
    {
        // 16 head characters, the mark, 7 tail characters: (24 - 1) / 3 = 7
        Assert.Equal("user_annotation …_0(sq0)", NameShortener.Shorten("user_annotation 'execute_32_context_0(sq0)", 24));
    }

    [Fact]
    public void Short_text_is_kept_and_widths_below_8_are_raised()
    {
        Assert.Equal("gemm", NameShortener.Shorten("gemm", 4));
        Assert.Equal(8, NameShortener.Shorten("abcdefghijklmnop", 2).Length);
    }

    [Fact]
    public void AroundPosition_keeps_the_head_and_the_part_where_two_names_differ()
    {
        // no template arguments: head 24 / 4 = 6 characters, the mark, then from 'MT' (backed up to the '_' before the
        // differing '6' at index 24) 16 characters and the mark: 6 + 1 + 16 + 1 = 24
        Assert.Equal("Cijk_A…MT64x32x256_MI16…",
            NameShortener.AroundPosition("Cijk_Alik_Bljk_BBS_BH_MT64x32x256_MI16x16x1_SN_LDSB1", 24, 24));
        // a template: the head is the name up to '<' (32 characters, leaving 13), then from '256' (index 52) 12 + the mark
        Assert.Equal("aiter::add_rmsnorm_quant_kernel<…256, 16, tru…",
            NameShortener.AroundPosition("aiter::add_rmsnorm_quant_kernel<bfloat16, bfloat16, 256, 16, true>", 52, 46));
        // a difference inside the head is Shorten's cut; a text that fits is kept
        Assert.Equal(NameShortener.Shorten("abcdefghijklmnopqrstuvwxyz0123456789", 16),
            NameShortener.AroundPosition("abcdefghijklmnopqrstuvwxyz0123456789", 2, 16));
        Assert.Equal("gemm", NameShortener.AroundPosition("gemm", 2, 16));
    }
}
