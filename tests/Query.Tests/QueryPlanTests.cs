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
    [InlineData("kernel_summary")]
    [InlineData("run_summary")]
    [InlineData("kernels")]
    public void View_filtered_by_run_searches_kernels_by_run_through_an_index(string view)
    {
        var plan = PlanOf(view);
        AssertNoFullScan(plan);
        // Every step that reads the kernels (alias k) searches them by run through the layer index or the primary key.
        var kernelSteps = plan.Where(ReadsKernels).ToList();
        Assert.NotEmpty(kernelSteps);
        Assert.All(kernelSteps, d => Assert.Matches(@"^SEARCH k USING (INDEX kernel_rows_by_layer|PRIMARY KEY) \(run_id=\?", d));
    }

    [Fact]
    public void Perfetto_ranges_filtered_by_run_reads_stored_ranges_and_no_kernels()
    {
        var plan = PlanOf("perfetto_ranges");
        AssertNoFullScan(plan);
        Assert.DoesNotContain(plan, ReadsKernels);
        Assert.Contains("SEARCH p USING PRIMARY KEY (run_id=?)", plan);
        Assert.Contains("SEARCH l USING PRIMARY KEY (run_id=?)", plan);
    }

    private static List<string> PlanOf(string view)
    {
        using var db = new FixtureDatabase();
        using var connection = LlmDatabase.OpenReadOnly(db.Path);
        var details = new List<string>();
        using var reader = connection.ExecuteReader($"EXPLAIN QUERY PLAN SELECT * FROM {view} WHERE run_id = 1");
        while (reader.Read()) details.Add(reader.GetString(reader.GetOrdinal("detail")));
        return details;
    }

    private static bool ReadsKernels(string detail) =>
        detail.StartsWith("SEARCH k ", StringComparison.Ordinal) || detail == "SCAN k" || detail.StartsWith("SCAN k ", StringComparison.Ordinal);

    /// <summary>"SCAN k" / "SCAN kernel_rows" would be a full scan of the kernels; layers/passes neither.</summary>
    private static void AssertNoFullScan(List<string> plan)
    {
        foreach (var alias in new[] { "k", "kernel_rows", "kernels", "l", "layers", "p", "passes" })
            Assert.DoesNotContain(plan, d => d == $"SCAN {alias}" || d.StartsWith($"SCAN {alias} ", StringComparison.Ordinal));
    }
}
