using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Cli.Usage;
using Xunit;

namespace LlmPipeline.Query.Tests.Cli;

/// <summary>The "did you mean" of unknown commands and options (edit distances counted by hand).</summary>
public sealed class SuggestionsTests
{
    [Theory]
    [InlineData("timelin", "timeline", 1)]   // one letter missing
    [InlineData("tiemline", "timeline", 1)]  // two letters swapped
    [InlineData("--rn", "--run", 1)]
    [InlineData("kernels", "kernel", 1)]
    [InlineData("layres", "layers", 1)]
    [InlineData("abc", "xyz", 3)]
    [InlineData("", "top", 3)]
    public void Distance_counts_insertions_deletions_substitutions_and_adjacent_swaps(string a, string b, int expected) =>
        Assert.Equal(expected, Suggestions.Distance(a, b));

    private static readonly string[] Commands = ["ingest", "runs", "timeline", "windows", "layers", "clusters", "kernels", "top", "sql", "schema", "skew"];

    [Theory]
    [InlineData("timelin", "timeline")]
    [InlineData("TIMELINE", "timeline")]
    [InlineData("kernel", "kernels")]  // a prefix
    [InlineData("sk", "skew")]         // a prefix of two letters
    [InlineData("lyers", "layers")]
    [InlineData("sq", "sql")]
    public void Closest_is_the_prefix_or_the_nearest_name(string typed, string expected) =>
        Assert.Equal([expected], Suggestions.Closest(typed, Commands));

    [Fact]
    public void Closest_lists_every_name_at_the_best_distance_and_nothing_when_none_is_close()
    {
        Assert.Equal(["top", "tap"], Suggestions.Closest("tip", ["top", "tap", "ship"]));
        Assert.Empty(Suggestions.Closest("frobnicate", Commands));
        Assert.Empty(Suggestions.Closest("x", Commands));
        Assert.Equal("; did you mean 'top' or 'tap'?", Suggestions.DidYouMean("tip", ["top", "tap"]));
        Assert.Equal("", Suggestions.DidYouMean("frobnicate", Commands));
    }
}
