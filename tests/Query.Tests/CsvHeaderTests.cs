using System.Text.RegularExpressions;
using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>Issue 3 acceptance: every report's CSV loads with a header row, and every time column carries its unit.</summary>
public sealed partial class CsvHeaderTests
{
    public static TheoryData<string[]> Reports() => new()
    {
        new[] { "layers", "--run", "1", "--pass", "0" },
        new[] { "clusters", "--run", "1", "--pass", "0" },
        new[] { "kernels", "--run", "1", "--pass", "0", "--layer", "0" },
        new[] { "perfetto", "--run", "1", "--pass", "0" },
        new[] { "top", "--run", "1", "--pass", "0" },
        new[] { "top", "--run", "1", "--all-passes", "--by", "category" },
        new[] { "anchors", "--run", "1" },
        new[] { "warnings", "--run", "1" },
        new[] { "timeline", "--run", "1" },
        new[] { "runs" },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public void Csv_has_a_header_row_and_units_in_time_column_names(string[] args)
    {
        using var db = new FixtureDatabase();
        var r = db.Run([.. args, "--format", "csv"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = Parse.Csv(r.Stdout);
        Assert.NotEmpty(rows);
        var header = rows[0].Keys.ToList();
        Assert.Equal(header.Count, header.Distinct().Count());
        foreach (var column in header)
        {
            Assert.Matches(SnakeCase(), column);
            var numeric = rows.Any(row => double.TryParse(row[column], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _));
            if (numeric && TimeWord().IsMatch(column))
                Assert.True(Unit().IsMatch(column), $"{args[0]}: column '{column}' holds a time but names no unit (_ns, _us, _ms, _s, _pct)");
        }
        // Every row has every column (a CSV reader sees a rectangle).
        Assert.All(rows, row => Assert.Equal(header, row.Keys.ToList()));
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex("(^|_)(wall|sum|busy|idle|time|dur|duration|total|mean|min|max|exposed|start|end)(_|$)")]
    private static partial Regex TimeWord();

    [GeneratedRegex("_(ns|us|ms|s|pct)$")]
    private static partial Regex Unit();
}
