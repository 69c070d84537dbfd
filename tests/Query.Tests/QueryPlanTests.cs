using Dapper;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>
/// Every report view filtered by run_id reaches kernels through an index, never a full scan: the run's spans
/// (kernel_spans, alias s) by run, or by run, pass and layer, then each span's kernels as one primary-key range.
/// </summary>
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
        // Every step that reads the kernels (alias k) searches them by run: one span's primary-key range where the labels
        // are read, else the run's range; every step that reads the spans (alias s) searches them by run through the
        // layer index or the primary key.
        var kernelSteps = plan.Where(ReadsKernels).ToList();
        Assert.NotEmpty(kernelSteps);
        Assert.All(kernelSteps, d => Assert.Matches(@"^SEARCH k USING (COVERING INDEX \S+|PRIMARY KEY) \(run_id=\?( AND device=\? AND kernel_idx>\? AND kernel_idx<\?)?\)$", d));
        var spanSteps = plan.Where(d => d.StartsWith("SEARCH s ", StringComparison.Ordinal)).ToList();
        Assert.All(spanSteps, d => Assert.Matches(@"^SEARCH s USING (INDEX kernel_spans_by_layer|PRIMARY KEY) \(run_id=\?", d));
        if (view != "run_summary") Assert.Equal(kernelSteps.Count, spanSteps.Count); // every read of kernels reads their labels
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

    /// <summary>"SCAN k" / "SCAN kernel_rows" would be a full scan of the kernels; spans/layers/passes neither.</summary>
    private static void AssertNoFullScan(List<string> plan)
    {
        foreach (var alias in new[] { "k", "kernel_rows", "kernels", "s", "kernel_spans", "l", "layers", "p", "passes" })
            Assert.DoesNotContain(plan, d => d == $"SCAN {alias}" || d.StartsWith($"SCAN {alias} ", StringComparison.Ordinal));
    }
}
