using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>A trace file cut short ends inside its last step: that pass is partial, and its anchors count no layers.</summary>
public sealed class TruncatedTraceSegmentationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(36)]
    public void The_last_pass_of_a_file_cut_short_is_partial(int? numLayers)
    {
        using var dir = new TempDir();
        var whole = dir.File("whole.json");
        TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.DenseAddNorm, Passes = 3, WorldSize = 1, Seed = 31 }, whole, gzip: false);
        var bytes = File.ReadAllBytes(whole);
        // Cut inside the third step's epilogue, after its last layer's anchor: every anchor of the step is there, but the
        // step is not (kernels and their runtime events are written pass by pass).
        var cut = dir.File("cut.json");
        File.WriteAllBytes(cut, bytes[..(bytes.Length - 1500)]);
        Ingesting.Run(dir, cut, numLayers: numLayers);
        Assert.Equal(1L, Ingesting.Scalar<long>(dir, "SELECT COUNT(*) FROM ingest_warnings WHERE kind = 'truncated_file'"));
        Assert.Equal(36L, Ingesting.Scalar<long>(dir, "SELECT num_layers FROM runs"));
        Assert.Equal([0L, 0L, 1L], Ingesting.Longs(dir, "SELECT is_partial FROM passes ORDER BY pass_idx"));
        Assert.Equal([36L, 36L], Ingesting.Longs(dir, "SELECT layer_count FROM passes WHERE is_partial = 0 ORDER BY pass_idx"));
    }
}
