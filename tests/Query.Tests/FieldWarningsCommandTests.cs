using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>
/// <c>llmpipe warnings</c> lists the warning kinds added for the 2026 field problems, each with a sentence that says
/// what happened and what to do.
/// </summary>
public sealed class FieldWarningsCommandTests
{
    private static string Doc(int rank, bool kernelExternalIdZero)
    {
        var launchExt = kernelExternalIdZero ? 0 : 11;
        var kernelExt = kernelExternalIdZero ? ", \"External id\": 0" : "";
        return "{\"distributedInfo\": {\"rank\": " + rank + ", \"world_size\": 2}, \"traceEvents\": [\n"
            + "{\"ph\": \"X\", \"cat\": \"cpu_op\", \"name\": \"aten::mm\", \"pid\": 1, \"tid\": 1, \"ts\": 5000000, \"dur\": 5, \"args\": {\"External id\": 11}},\n"
            + "{\"ph\": \"X\", \"cat\": \"cuda_runtime\", \"name\": \"hipLaunchKernel\", \"pid\": 1, \"tid\": 1, \"ts\": 5000001, \"dur\": 2, \"args\": {\"correlation\": 1, \"External id\": " + launchExt + "}},\n"
            + "{\"ph\": \"X\", \"cat\": \"cuda_runtime\", \"name\": \"hipExtLaunchKernel\", \"pid\": 1, \"tid\": 1, \"ts\": 5000004, \"dur\": 2, \"args\": {\"correlation\": 2, \"External id\": 12}},\n"
            + "{\"ph\": \"X\", \"cat\": \"kernel\", \"name\": \"Cijk_gemm\", \"pid\": 2, \"tid\": 7, \"ts\": 10, \"dur\": 4, \"args\": {\"device\": 0, \"stream\": 7, \"correlation\": 1" + kernelExt + "}},\n"
            + "{\"ph\": \"X\", \"cat\": \"kernel\", \"name\": \"ncclDevKernel_Generic\", \"pid\": 2, \"tid\": 20, \"ts\": 12, \"dur\": 4, \"args\": {\"device\": 0, \"stream\": 20, \"correlation\": 0, \"External id\": 0}}\n"
            + "]}";
    }

    [Fact]
    public void Warnings_lists_the_new_kinds_each_with_what_to_do()
    {
        using var dir = new TempDir();
        var trace = dir.File("two_writers.json");
        File.WriteAllText(trace, Doc(0, kernelExternalIdZero: false) + "\n" + Doc(1, kernelExternalIdZero: true));
        var db = dir.File("t.db");
        var ingest = Llmpipe.Run("ingest", trace, "--db", db);
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);

        var run1 = Parse.Csv(Llmpipe.Run("warnings", "--run", "1", "--db", db, "--format", "csv").Stdout).ToDictionary(r => r["kind"], r => r["detail"]);
        var run2 = Parse.Csv(Llmpipe.Run("warnings", "--run", "2", "--db", db, "--format", "csv").Stdout).ToDictionary(r => r["kind"], r => r["detail"]);
        Assert.Contains("to avoid it, give each rank its own trace file", run1["concatenated_documents"]);
        Assert.Contains("Nothing to do; a newer ROCm profiler reports their correlation", run1["kernel_correlation_zero"]);
        Assert.Contains("nothing to do unless ops look wrong", run1["external_id_from_launch"]);
        Assert.Contains("compare kernel times only with kernel times, or fix the producer's clock", run1["clock_domain_mismatch"]);
        Assert.Contains("the GPU's about -4.999991 s off", run1["clock_domain_mismatch"]);
        Assert.Contains("To get ops and shapes, profile with CPU activities and record_shapes=True", run2["kernel_external_id_zero"]);
        Assert.DoesNotContain("launches_without_kernel", run1.Keys);

        var timeline = Llmpipe.Run("timeline", "--run", "1", "--db", db);
        Assert.Equal(0, timeline.ExitCode);
        // Said once, at ingest; reports do not repeat stored warnings.
        Assert.Equal("", timeline.Stderr);
    }
}
