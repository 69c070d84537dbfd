using System.Security.Cryptography;
using System.Text;
using LlmPipeline.Ingest.Tests.Robustness;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>
/// <c>runs.source_sha256</c> is the SHA-256 of the trace file's bytes on disk whichever way ingest takes it: while
/// reading (no stored run has a file of that size) or up front (one does, for the already-present check). A file of
/// the same size with other bytes is a new run; the same bytes again, under any name, are already present; a gzip
/// trace is hashed over its compressed bytes.
/// </summary>
public sealed class SourceSha256IngestTests
{
    private static readonly string TraceA = Ingested.Trace(
        Ingested.CpuOp("aten::mm", "1000", "5", 5001),
        Ingested.Launch(1, "1001"),
        Ingested.Kernel("gemm_a", "1003", "2", 1),
        Ingested.Kernel("gemm_b", "1007", "2", 2));

    private static string Sha256Hex(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void A_file_of_the_same_size_with_other_bytes_is_a_new_run_with_its_own_sha256_and_the_first_file_is_already_present()
    {
        using var dir = new TempDir();
        var a = dir.File("a.json");
        var b = dir.File("b.json");
        File.WriteAllText(a, TraceA);
        var traceB = TraceA.Replace("\"ts\":1007", "\"ts\":1008", StringComparison.Ordinal); // one digit of gemm_b's ts
        Assert.NotEqual(TraceA, traceB);
        File.WriteAllText(b, traceB);
        Assert.Equal(new FileInfo(a).Length, new FileInfo(b).Length);
        var shaA = Sha256Hex(a);
        var shaB = Sha256Hex(b);
        Assert.NotEqual(shaA, shaB);

        var first = Ingesting.Run(dir, a); // fresh database: hashed while reading
        Assert.False(first.AlreadyPresent);
        Assert.Equal(1L, first.RunId);

        var second = Ingesting.Run(dir, b); // a stored run has this size: hashed up front, no match
        Assert.False(second.AlreadyPresent);
        Assert.Equal(2L, second.RunId);
        Assert.Equal([$"1|{shaA}|{TraceA.Length}", $"2|{shaB}|{traceB.Length}"],
            Rows(dir, "SELECT run_id, source_sha256, source_bytes FROM runs ORDER BY run_id"));
        Assert.Equal(["1|1007000", "2|1008000"], Rows(dir, "SELECT run_id, ts_ns FROM kernels WHERE kernel_idx = 1 ORDER BY run_id"));

        var again = Ingesting.Run(dir, a);
        Assert.True(again.AlreadyPresent);
        Assert.Equal(1L, again.RunId);
        Assert.Equal(2L, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM runs"));

        var copy = dir.File("a-copy.json"); // the same bytes under another name
        File.Copy(a, copy);
        var copied = Ingesting.Run(dir, copy);
        Assert.True(copied.AlreadyPresent);
        Assert.Equal(1L, copied.RunId);
        var bAgain = Ingesting.Run(dir, b);
        Assert.True(bAgain.AlreadyPresent);
        Assert.Equal(2L, bAgain.RunId);
        Assert.Equal(2L, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM runs"));
    }

    [Fact]
    public void A_gzip_trace_gets_the_sha256_of_its_compressed_bytes()
    {
        using var dir = new TempDir();
        var gz = dir.File("t.json.gz");
        var json = Encoding.UTF8.GetBytes(TraceA);
        File.WriteAllBytes(gz, Ingested.Gzip(json));
        var first = Ingesting.Run(dir, gz);
        Assert.False(first.AlreadyPresent);
        Assert.Equal([$"{Sha256Hex(gz)}|{new FileInfo(gz).Length}|{json.Length}"],
            Rows(dir, "SELECT source_sha256, source_bytes, json_bytes FROM runs"));
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(json)), Sha256Hex(gz));
        Assert.Equal(2L, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));

        var again = Ingesting.Run(dir, gz); // hashed up front this time: the same digest
        Assert.True(again.AlreadyPresent);
        Assert.Equal(1L, again.RunId);
    }

    [Fact]
    public void Bytes_after_the_json_are_part_of_the_sha256()
    {
        using var dir = new TempDir();
        var path = dir.File("padded.json");
        File.WriteAllText(path, TraceA + new string(' ', 300_000) + "\n");
        Ingesting.Run(dir, path);
        Assert.Equal([$"{Sha256Hex(path)}|{TraceA.Length + 300_001}"], Rows(dir, "SELECT source_sha256, source_bytes FROM runs"));
    }

    private static List<string> Rows(TempDir dir, string sql)
    {
        using var c = LlmPipeline.Ingest.Storage.LlmDatabase.OpenReadOnly(dir.File("t.db"));
        return Ingested.Rows(c, sql);
    }
}
