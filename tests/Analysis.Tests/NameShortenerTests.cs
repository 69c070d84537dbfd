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
}
