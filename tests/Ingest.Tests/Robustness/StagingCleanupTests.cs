using LlmPipeline.Ingest.Ranks;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Robustness;

public sealed class StagingCleanupTests
{
    [Fact]
    public void RemoveStale_deletes_files_of_dead_processes_and_keeps_running_ones()
    {
        using var dir = new TempDir();
        // Linux pid_max is at most 2^22, so this pid never runs.
        var dead = dir.File("llmpipe-staging-999999999-abc.db");
        var deadJournal = dir.File("llmpipe-staging-999999999-abc.db-journal");
        var mine = dir.File($"llmpipe-staging-{Environment.ProcessId}-def.db");
        var other = dir.File("unrelated.db");
        foreach (var f in new[] { dead, deadJournal, mine, other }) File.WriteAllText(f, "x");
        Assert.Equal(2, StagingDatabase.RemoveStale(dir.Path));
        Assert.False(File.Exists(dead));
        Assert.False(File.Exists(deadJournal));
        Assert.True(File.Exists(mine));
        Assert.True(File.Exists(other));
    }

    [Theory]
    [InlineData("[TP01-DP00-PP00-EP00] gemm", 22)]
    [InlineData("[TP00] gemm", 7)]
    [InlineData("[rank3]gemm", 7)]
    [InlineData("[TP01-XX00] gemm", 0)]
    [InlineData("[x] gemm", 0)]
    [InlineData("gemm [TP01]", 0)]
    [InlineData("[TP]", 0)]
    public void RankPrefix_length_covers_the_label_and_one_space(string name, int expected) =>
        Assert.Equal(expected, RankPrefix.Length(System.Text.Encoding.UTF8.GetBytes(name)));
}
