using Dapper;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>Every report view filtered by run_id reaches kernels through an index, never a full scan.</summary>
public sealed class QueryPlanTests
{
    [Theory]
    [InlineData("pass_timeline")]
    [InlineData("layer_detail")]
    [InlineData("layer_clusters")]
    [InlineData("layer_cluster_groups")]
    [InlineData("layer_category_time")]
    [InlineData("layer_kernels")]
    [InlineData("perfetto_ranges")]
    [InlineData("kernel_summary")]
    [InlineData("run_summary")]
    [InlineData("kernels")]
    public void View_filtered_by_run_uses_indexes_not_a_kernels_scan(string view)
    {
        using var db = new FixtureDatabase();
        using var connection = LlmDatabase.OpenReadOnly(db.Path);
        var details = new List<string>();
        using (var reader = connection.ExecuteReader($"EXPLAIN QUERY PLAN SELECT * FROM {view} WHERE run_id = 1"))
            while (reader.Read()) details.Add(reader.GetString(reader.GetOrdinal("detail")));
        var plan = string.Join("\n", details);
        // "SCAN k" / "SCAN kernel_rows" would be a full scan of the kernels; layers/passes/runs neither.
        foreach (var alias in new[] { "k", "kernel_rows", "kernels", "l", "layers", "p", "passes" })
            Assert.DoesNotContain(details, d => d == $"SCAN {alias}" || d.StartsWith($"SCAN {alias} ", StringComparison.Ordinal));
        if (plan.Contains(" k ", StringComparison.Ordinal) || plan.Contains(" k\n", StringComparison.Ordinal) || plan.EndsWith(" k", StringComparison.Ordinal))
            Assert.Matches(@"SEARCH k USING (INDEX kernel_rows_by_layer|PRIMARY KEY) \(run_id=\?", plan);
    }
}
