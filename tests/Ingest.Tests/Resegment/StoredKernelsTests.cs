using LlmPipeline.Ingest.Resegment;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Resegment;

/// <summary>
/// <see cref="StoredKernels.ReadCommitted"/>: the read of a committed run in two halves on two connections gives what the read on
/// the command's own connection gives, kernel for kernel, rows beyond the run's spans included.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StoredKernelsTests
{
    [Fact]
    public void The_parallel_read_of_a_committed_run_equals_the_read_on_one_connection()
    {
        using var dir = new TempDir();
        var trace = dir.File("dsv3.json.gz");
        var gen = TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 30, Seed = 7 }, trace, gzip: true);
        Assert.True(gen.KernelCount >= StoredKernels.ParallelFromKernels, $"{gen.KernelCount} kernels do not take the parallel read");
        Ingesting.Run(dir, trace);
        var db = dir.File("t.db");
        using var c = LlmDatabase.OpenForWrite(db);
        // A row past the last span (written by hand, without labels): the open-ended second half still reads it.
        LlmDatabase.Execute(c, """
            INSERT INTO kernel_rows (run_id, device, kernel_idx, ts_ns, dur_ns, name_id, correlation)
            SELECT run_id, device, kernel_idx + 1, ts_ns + dur_ns, 5, name_id, NULL FROM kernel_rows
            WHERE run_id = 1 ORDER BY kernel_idx DESC LIMIT 1;
            """);
        using var tx = c.BeginTransaction();
        var serial = StoredKernels.Read(c, tx, 1);
        var parallel = StoredKernels.ReadCommitted(db, 1);
        Assert.Equal(gen.KernelCount + 1, serial.Devices.Sum(d => d.KernelIdx.Length));
        Assert.Equal(serial.Names, parallel.Names);
        Assert.Equal(serial.NameIds, parallel.NameIds);
        Assert.Equal(serial.Devices.Count, parallel.Devices.Count);
        foreach (var (s, p) in serial.Devices.Zip(parallel.Devices))
        {
            Assert.Equal(s.Device, p.Device);
            Assert.Equal(s.KernelIdx, p.KernelIdx);
            Assert.Equal(s.TsNs, p.TsNs);
            Assert.Equal(s.DurNs, p.DurNs);
            Assert.Equal(s.NameId, p.NameId);
            Assert.Equal(s.Correlation, p.Correlation);
            Assert.Equal(s.LayerModule, p.LayerModule);
            Assert.Equal(s.LaunchedByBackward, p.LaunchedByBackward);
        }
        Assert.Equal(5, serial.Devices[^1].DurNs[^1]);
    }
}
