using LlmPipeline.Ingest.Reading;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>Tiny inline traces → the stored rows (the Perfetto diff-test shape: trace, query, expected values).</summary>
public sealed class InlineTraceIngestTests
{
    private const string Kineto = """
        {"schemaVersion": 1, "deviceProperties": [{"id": 0, "name": "NVIDIA H200"}],
         "distributedInfo": {"backend": "nccl", "rank": 3, "world_size": 8},
         "baseTimeNanoseconds": 1700000000000000000,
         "traceEvents": [
          {"ph": "X", "cat": "cpu_op", "name": "aten::mm", "pid": 10, "tid": 10, "ts": 1712195495519690.0, "dur": 5.0, "args": {"External id": 7, "Input Dims": [[16, 32], [32, 64]]}},
          {"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 10, "tid": 10, "ts": 1712195495519691.0, "dur": 2.0, "args": {"External id": 7, "correlation": 42}},
          {"ph": "X", "cat": "user_annotation", "name": "step[DECODE bs=32]", "pid": 10, "tid": 10, "ts": 1712195495519689.5, "dur": 30.0, "args": {"External id": 6}},
          {"ph": "X", "cat": "kernel", "name": "nvjet_tst_128x64", "pid": 0, "tid": "stream 7", "ts": 1712195495519695.8, "dur": 3.25, "args": {"device": 0, "correlation": 42, "External id": 7, "grid": [132, 1, 1], "block": [384, 1, 1]}},
          {"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD (Pageable -> Device)", "pid": 0, "tid": 7, "ts": 1712195495519693.0, "dur": 1.0, "args": {"device": 0, "stream": 7, "bytes": 4096}}
         ],
         "traceName": "inline.json"}
        """;

    [Fact]
    public void Ingest_keeps_ts_exact_to_the_nanosecond_and_links_the_launching_op()
    {
        using var dir = new TempDir();
        var trace = dir.File("inline.json");
        File.WriteAllText(trace, Kineto);
        Ingesting.Run(dir, trace);
        Assert.Equal(1712195495519695800L, Ingesting.Scalar<long>(dir, "SELECT ts_ns FROM kernels"));
        Assert.Equal(3250L, Ingesting.Scalar<long>(dir, "SELECT dur_ns FROM kernels"));
        Assert.Equal(7L, Ingesting.Scalar<long>(dir, "SELECT stream FROM kernels"));
        Assert.Equal(42L, Ingesting.Scalar<long>(dir, "SELECT correlation FROM kernels"));
        Assert.Equal("aten::mm", Ingesting.Scalar<string>(dir, "SELECT op_name FROM kernels"));
        Assert.Equal("[[16,32],[32,64]]", Ingesting.Scalar<string>(dir, "SELECT replace(input_dims, ' ', '') FROM kernels"));
        Assert.Equal("[132,1,1]", Ingesting.Scalar<string>(dir, "SELECT replace(grid, ' ', '') FROM kernels"));
        Assert.Equal("nvjet_tst_128x64", Ingesting.Scalar<string>(dir, "SELECT n.name FROM kernels k JOIN kernel_names n USING (name_id)"));
        Assert.Equal("gemm_bf16", Ingesting.Scalar<string>(dir, "SELECT category FROM kernels"));
        Assert.Equal(4096L, Ingesting.Scalar<long>(dir, "SELECT bytes FROM memory_ops WHERE kind = 'memcpy'"));
        Assert.Equal("step[DECODE bs=32]", Ingesting.Scalar<string>(dir, "SELECT name FROM annotations"));
        Assert.Equal(42L, Ingesting.Scalar<long>(dir, "SELECT correlation FROM launches"));
        Assert.Equal(3L, Ingesting.Scalar<long>(dir, "SELECT rank FROM runs"));
        Assert.Equal(8L, Ingesting.Scalar<long>(dir, "SELECT world_size FROM runs"));
        Assert.Equal("NVIDIA H200", Ingesting.Scalar<string>(dir, "SELECT gpu_name FROM runs"));
        Assert.Equal(1700000000000000000L, Ingesting.Scalar<long>(dir, "SELECT base_time_ns FROM runs"));
        Assert.Equal(1712195495519689500L, Ingesting.Scalar<long>(dir, "SELECT trace_start_ns FROM runs"));
        Assert.Equal("\"inline.json\"", Ingesting.Scalar<string>(dir, "SELECT value FROM trace_metadata WHERE key = 'traceName'"));
        Assert.Equal("sglang", Ingesting.Scalar<string>(dir, "SELECT framework FROM runs"));
    }

    [Fact]
    public void Ingest_of_a_file_that_is_not_json_fails_naming_file_and_offset_and_leaves_the_database_unchanged()
    {
        using var dir = new TempDir();
        var good = dir.File("good.json");
        File.WriteAllText(good, Kineto);
        Ingesting.Run(dir, good);
        var before = File.ReadAllBytes(dir.File("t.db"));
        var bad = dir.File("notes.json");
        File.WriteAllText(bad, "hello, this is not a trace");
        var ex = Assert.Throws<TraceFormatException>(() => Ingesting.Run(dir, bad));
        Assert.Contains("notes.json", ex.Message);
        Assert.Contains("byte 0", ex.Message);
        Assert.Equal(0, ex.ByteOffset);
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM runs"));
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.Equal(before.Length, File.ReadAllBytes(dir.File("t.db")).Length);
    }

    [Fact]
    public void Ingest_of_json_that_is_not_a_trace_fails_and_stores_nothing()
    {
        using var dir = new TempDir();
        var config = dir.File("config.json");
        File.WriteAllText(config, "{\"model_type\": \"qwen3\", \"num_hidden_layers\": 36}");
        var ex = Assert.Throws<LlmPipeline.Ingest.Ingestion.IngestException>(() => Ingesting.Run(dir, config));
        Assert.Contains("not a trace", ex.Message);
        Assert.Contains("config.json", ex.Message);
        Assert.False(File.Exists(dir.File("t.db")) && Ingesting.Scalar<long>(dir, "SELECT count(*) FROM runs") > 0);
    }

    [Fact]
    public void Ingest_without_any_layer_structure_stores_every_kernel_and_warns()
    {
        using var dir = new TempDir();
        var trace = dir.File("cnn.json");
        var events = string.Join(",\n", Enumerable.Range(0, 7).Select(i =>
            "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"conv_kernel_" + i + "\",\"pid\":0,\"tid\":7,\"ts\":" + (1000 + i * 10) + ",\"dur\":5,\"args\":{\"device\":0,\"stream\":7}}"));
        File.WriteAllText(trace, "{\"traceEvents\":[" + events + "]}");
        var outcome = Ingesting.Run(dir, trace);
        Assert.Equal(7, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE role IS NOT NULL"));
        Assert.True(Ingesting.Scalar<long>(dir, "SELECT count(*) FROM ingest_warnings") >= 1);
        Assert.Contains("no anchor", outcome.Summary);
    }
}
