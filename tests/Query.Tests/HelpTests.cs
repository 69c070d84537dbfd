using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("")]
    [InlineData("ingest")]
    [InlineData("runs")]
    [InlineData("timeline")]
    [InlineData("layers")]
    [InlineData("clusters")]
    [InlineData("kernels")]
    [InlineData("perfetto")]
    [InlineData("top")]
    [InlineData("anchors")]
    [InlineData("warnings")]
    [InlineData("sql")]
    [InlineData("profiles")]
    [InlineData("profiles list")]
    [InlineData("profiles show")]
    [InlineData("profiles validate")]
    public void Help_shows_an_example(string command)
    {
        var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("--help").ToArray();
        var r = Llmpipe.Run(args);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Example", r.Stdout);
        Assert.Contains("llmpipe", r.Stdout);
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        var r = Llmpipe.Run("frobnicate");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error:", r.Stderr);
    }
}
