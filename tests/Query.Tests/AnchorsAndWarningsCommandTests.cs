using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class AnchorsAndWarningsCommandTests
{
    [Fact]
    public void Anchors_lists_chosen_candidate_first_with_occurrences_per_pass()
    {
        using var db = new FixtureDatabase();
        var rows = Parse.Csv(db.Run("anchors", "--run", "1", "--format", "csv").Stdout);
        Assert.Equal(2, rows.Count);
        Assert.Equal("1", rows[0]["chosen"]);
        Assert.Equal("rms_norm_kernel<bf16, 128>", rows[0]["name"]);
        Assert.Equal("rms_norm_kernel", rows[0]["simplified_name"]);
        Assert.Equal(["device", "chosen", "simplified_name"], rows[0].Keys.Take(3).ToArray());
        Assert.Equal("name", rows[0].Keys.Last());
        Assert.Equal(2.0, Parse.D(rows[0]["occurrences_per_pass"]), 12); // 8 occurrences over 4 passes
        Assert.Equal("2", rows[0]["implied_layers"]);
    }

    [Fact]
    public void Warnings_lists_kind_count_and_byte_offset()
    {
        using var db = new FixtureDatabase();
        var row = Assert.Single(Parse.Csv(db.Run("warnings", "--run", "1", "--format", "csv").Stdout));
        Assert.Equal("trailing_comma", row["kind"]);
        Assert.Equal("2", row["count"]);
        Assert.Equal("5120", row["first_byte_offset"]);
    }
}
