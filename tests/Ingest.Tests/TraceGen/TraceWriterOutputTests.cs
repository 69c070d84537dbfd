using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Ingest.Tests.TraceGen;

/// <summary>File-level properties of <see cref="TraceWriter"/> output: determinism, JSON validity, Kineto layout, gzip, size.</summary>
public class TraceWriterOutputTests
{
    private static readonly TraceSpec Small = new() { Shape = TraceShape.Generic, NumLayers = 2, Passes = 3, WorldSize = 2, Rank = 1 };

    private static byte[] Bytes(TraceSpec spec)
    {
        using var ms = new MemoryStream();
        TraceWriter.Write(spec, ms);
        return ms.ToArray();
    }

    [Fact]
    public void Write_produces_identical_bytes_for_same_seed()
    {
        var spec = new TraceSpec { Shape = TraceShape.DeepSeekV4Decode, Passes = 2, Seed = 7, StepAnnotations = StepAnnotationStyle.SGLang };
        Assert.Equal(SHA256.HashData(Bytes(spec)), SHA256.HashData(Bytes(spec)));
    }

    [Fact]
    public void Write_produces_different_bytes_for_different_seed_or_rank()
    {
        var a = SHA256.HashData(Bytes(Small));
        Assert.NotEqual(a, SHA256.HashData(Bytes(Small with { Seed = 43 })));
        Assert.NotEqual(a, SHA256.HashData(Bytes(Small with { Rank = 0 })));
    }

    [Fact]
    public void Write_produces_valid_json_with_kineto_top_level_keys_in_order()
    {
        var t = ParsedTrace.Generate(Small);
        Assert.Equal(
            ["schemaVersion", "deviceProperties", "distributedInfo", "record_shapes", "with_stack", "profile_memory",
             "cupti_version", "cuda_runtime_version", "cuda_driver_version", "trace_id", "baseTimeNanoseconds",
             "displayTimeUnit", "traceEvents", "traceName"],
            t.TopLevelKeys);
        Assert.Equal(1, t.Rank);
        Assert.Equal(2, t.WorldSize);
        Assert.Equal("ms", t.DisplayTimeUnit);
        Assert.Equal(1_760_000_000_000_000_000, t.BaseTimeNanoseconds);
        Assert.Equal("NVIDIA H200", t.DeviceName);
    }

    [Fact]
    public void Write_result_matches_parsed_file()
    {
        var t = ParsedTrace.Generate(Small with { StepAnnotations = StepAnnotationStyle.Vllm });
        var r = t.Result;
        Assert.Equal(t.Bytes.LongLength, r.JsonBytes);
        Assert.Equal(t.EventCount, r.EventCount);
        Assert.Equal(t.Kernels.Count, r.KernelCount);
        Assert.Equal(t.Kernels.Sum(k => k.DurNs), r.KernelDurationSumNs);
        Assert.Equal(t.Kernels.Min(k => k.TsNs), r.FirstKernelTsNs);
        Assert.Equal(t.Kernels.Max(k => k.TsNs), r.LastKernelTsNs);
        Assert.Equal(t.Kernels.Max(k => k.TsNs + k.DurNs), r.LastKernelEndNs);
        Assert.Equal(3, r.Passes);
        Assert.Equal(1_500_000_000, r.FirstKernelTsNs);
        Assert.Equal(r.FirstKernelTsNs, r.PassStartNs[0]);
        Assert.Equal(r.LastKernelEndNs, r.PassEndNs[^1]);
    }

    [Fact]
    public void Write_formats_every_ts_and_dur_as_microseconds_with_three_decimals()
    {
        string text = Encoding.UTF8.GetString(Bytes(Small));
        int all = Regex.Matches(text, "\"(ts|dur)\": ").Count;
        int kineto = Regex.Matches(text, "\"(ts|dur)\": [0-9]+\\.[0-9]{3}[,\\n]").Count;
        Assert.True(all > 0);
        Assert.Equal(all, kineto);
    }

    [Fact]
    public void WriteFile_gzip_decompresses_to_the_plain_bytes()
    {
        using var dir = new TempDir();
        var plain = TraceWriter.WriteFile(Small, dir.File("t.json"), gzip: false);
        var gz = TraceWriter.WriteFile(Small, dir.File("t.json.gz"), gzip: true);
        using var input = new GZipStream(File.OpenRead(dir.File("t.json.gz")), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        input.CopyTo(ms);
        Assert.Equal(File.ReadAllBytes(dir.File("t.json")), ms.ToArray());
        Assert.Equal(plain, gz with { PassStartNs = plain.PassStartNs, PassEndNs = plain.PassEndNs });
        Assert.Equal(plain.PassEndNs, gz.PassEndNs);
        Assert.True(new FileInfo(dir.File("t.json.gz")).Length * 5 < plain.JsonBytes);
    }

    [Fact]
    public void Write_reaches_TargetJsonBytes_within_5_percent()
    {
        const long target = 3_000_000;
        var r = TraceWriter.Write(new TraceSpec { Shape = TraceShape.Generic, NumLayers = 4, TargetJsonBytes = target }, Stream.Null);
        Assert.InRange(r.JsonBytes, target * 95 / 100, target * 105 / 100);
        Assert.True(r.Passes > 10);
    }

    [Fact]
    public void Write_throws_naming_the_invalid_property()
    {
        var ex = Assert.Throws<ArgumentException>(() => TraceWriter.Write(Small with { MtpLayers = 9 }, Stream.Null));
        Assert.Equal("MtpLayers", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => TraceWriter.Write(Small with { Rank = 2 }, Stream.Null));
        Assert.Equal("Rank", ex.ParamName);
    }

    [Fact]
    public void WriteRankFiles_writes_one_file_per_rank_with_rank_metadata_and_skew()
    {
        using var dir = new TempDir();
        var spec = new TraceSpec { Shape = TraceShape.Generic, NumLayers = 2, Passes = 2, WorldSize = 3 };
        var results = TraceWriter.WriteRankFiles(spec, dir.Path, gzip: false, new Dictionary<int, double> { [2] = 1.2 });
        Assert.Equal(3, results.Count);
        var ranks = Enumerable.Range(0, 3)
            .Select(r => new ParsedTrace(File.ReadAllBytes(dir.File($"rank-{r}.pt.trace.json")), results[r])).ToList();
        Assert.Equal([0, 1, 2], ranks.Select(t => t.Rank));
        Assert.All(ranks, t => Assert.Equal(3, t.WorldSize));
        Assert.All(ranks, t => Assert.Equal(2 * (2 * 12 + 2 + 4), t.Kernels.Count));
        double slow = results[2].KernelDurationSumNs, fast = results[0].KernelDurationSumNs;
        Assert.InRange(slow / fast, 1.1, 1.2); // layers 20 % slower, prologue/epilogue unchanged
    }
}
