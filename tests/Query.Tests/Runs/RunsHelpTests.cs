using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests.Runs;

public sealed class RunsHelpTests
{
    [Theory]
    [InlineData("compare")]
    [InlineData("skew")]
    [InlineData("runs tag")]
    [InlineData("runs label")]
    [InlineData("runs rm")]
    public void Help_shows_an_example(string command)
    {
        var r = Llmpipe.Run([.. command.Split(' '), "--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Example", r.Stdout);
        Assert.Contains("llmpipe " + command, r.Stdout);
    }
}
