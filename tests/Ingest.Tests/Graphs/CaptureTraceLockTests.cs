using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>
/// Companion graph-capture traces are read before the ingest takes the database's write lock: another writer holding
/// the lock does not keep them from being read, and the ingest waits for the lock only to store the run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CaptureTraceLockTests
{
    /// <summary>
    /// The capture trace is a named pipe (FIFO) whose bytes this test writes while it holds the database's write lock:
    /// the write completes only when the ingest reads the pipe. Reading it inside the transaction would leave the write
    /// waiting until the lock is given up.
    /// </summary>
    [SkippableFact]
    public void Capture_traces_are_read_while_another_writer_holds_the_database()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "named pipes (mkfifo) are a Unix feature");
        using var dir = new TempDir();
        var trace = dir.File("decode.json");
        File.WriteAllText(trace, GraphReplayTrace.Replays());
        var capture = dir.File("bs_8_rank0.json.gz");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [capture]) { UseShellExecute = false }))
        {
            mkfifo!.WaitForExit();
            Skip.If(mkfifo.ExitCode != 0, "mkfifo failed");
        }
        var gzip = new MemoryStream();
        using (var gz = new GZipStream(gzip, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(GraphReplayTrace.Capture(8)));
        var db = dir.File("t.db");
        LlmDatabase.OpenForWrite(db).Dispose();

        using var other = LlmDatabase.OpenForWrite(db);
        var otherWrite = other.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock
        var ingest = Task.Run(() => TraceIngestor.Ingest(new IngestRequest
        {
            TracePath = trace,
            DbPath = db,
            Segmentation = new() { NumLayers = GraphReplayTrace.Layers },
            CaptureTraces = capture,
        }));
        // Opening the pipe for writing waits for its reader; the write ends once the reader has taken every byte.
        var writer = Task.Run(() =>
        {
            using var pipe = new FileStream(capture, FileMode.Open, FileAccess.Write);
            pipe.Write(gzip.ToArray());
        });
        var readWhileLocked = writer.Wait(TimeSpan.FromSeconds(60));
        var storedWhileLocked = ingest.IsCompleted;
        otherWrite.Rollback();
        Task.WaitAny([ingest], TimeSpan.FromSeconds(120));
        if (!writer.IsCompleted)
        {
            // Unblock a writer whose reader never came, so that the test ends.
            using var drain = new FileStream(capture, FileMode.Open, FileAccess.Read);
            drain.CopyTo(Stream.Null);
        }

        Assert.True(readWhileLocked, "the capture trace was not read while another writer held the database");
        Assert.False(storedWhileLocked, "the ingest stored its run while another writer held the database");
        Assert.Equal(1L, ingest.Result.RunId);
        Assert.Equal(4 * GraphReplayTrace.KernelsPerStep, Ingesting.Scalar<long>(dir, "SELECT replay_attributed FROM runs"));
    }
}
