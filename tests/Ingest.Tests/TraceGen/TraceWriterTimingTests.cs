using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LlmPipeline.TraceGen;
using Xunit;
using Xunit.Abstractions;

namespace LlmPipeline.Ingest.Tests.TraceGen;

/// <summary>Timing model (scales, gaps, second stream), CPU-side events, annotations and throughput.</summary>
public class TraceWriterTimingTests(ITestOutputHelper output)
{
    private static readonly TraceSpec Small = new() { Shape = TraceShape.Generic, NumLayers = 3, Passes = 3 };

    [Fact]
    public void Write_cpu_side_links_every_kernel_to_its_launch()
    {
        var t = ParsedTrace.Generate(Small);
        Assert.Equal(t.Kernels.Select(k => k.Correlation), t.RuntimeCorrelations);
        Assert.Equal(t.Kernels.Select(k => k.Correlation), t.FlowStarts);
        Assert.Equal(t.Kernels.Select(k => k.Correlation), t.FlowFinishes);
        Assert.Equal(t.Kernels.Select(k => k.ExternalId), t.CpuOpExternalIds);
    }

    [Fact]
    public void Write_without_cpu_side_has_same_kernels_and_only_gpu_events()
    {
        var with = ParsedTrace.Generate(Small);
        var without = ParsedTrace.Generate(Small with { IncludeCpuSide = false });
        Assert.Equal(with.Kernels, without.Kernels);
        Assert.Empty(without.RuntimeCorrelations);
        Assert.Empty(without.FlowStarts);
        Assert.Empty(without.CpuOpExternalIds);
        // 6 metadata events + kernels + the profiler span + the window-end instant.
        Assert.Equal(6 + without.Kernels.Count + 2, without.EventCount);
    }

    [Fact]
    public void Write_keeps_kernel_gaps_small_inside_a_pass_and_large_between_passes()
    {
        var t = ParsedTrace.Generate(Small);
        var r = t.Result;
        for (int p = 1; p < r.Passes; p++)
            Assert.InRange(r.PassStartNs[p] - r.PassEndNs[p - 1], 360_000, 440_000); // 400 µs ± 10 %
        var pass0 = t.Kernels.Where(k => k.TsNs < r.PassEndNs[0]).ToList();
        for (int i = 1; i < pass0.Count; i++)
            Assert.InRange(pass0[i].TsNs - (pass0[i - 1].TsNs + pass0[i - 1].DurNs), 1_000, 10_000);
    }

    [Fact]
    public void Write_layer_time_scale_slows_layer_kernels_only()
    {
        var baseSpec = new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, NumLayers = 4, Passes = 1, Rank = 2 };
        var normal = ParsedTrace.Generate(baseSpec).Kernels;
        var slow = ParsedTrace.Generate(baseSpec with { LayerTimeScale = 1.2 }).Kernels;
        Assert.Equal(normal.Count, slow.Count);
        // prologue (embedding + AllReduce) and epilogue (4 kernels) keep their durations exactly.
        Assert.Equal(normal.Take(2).Select(k => k.DurNs), slow.Take(2).Select(k => k.DurNs));
        Assert.Equal(normal.TakeLast(4).Select(k => k.DurNs), slow.TakeLast(4).Select(k => k.DurNs));
        double ratio = (double)slow.Skip(2).SkipLast(4).Sum(k => k.DurNs) / normal.Skip(2).SkipLast(4).Sum(k => k.DurNs);
        Assert.InRange(ratio, 1.1999, 1.2001);
    }

    [Fact]
    public void Write_pass_time_scale_makes_first_pass_slower()
    {
        var r = TraceWriter.Write(Small with { Shape = TraceShape.DeepSeekV3Decode, NumLayers = 0, PassTimeScales = [3.0] }, Stream.Null);
        double wall0 = r.PassEndNs[0] - r.PassStartNs[0], wall1 = r.PassEndNs[1] - r.PassStartNs[1];
        Assert.InRange(wall0 / wall1, 2.8, 3.1);
    }

    [Fact]
    public void Write_second_stream_runs_collectives_overlapping_the_previous_kernel()
    {
        var t = ParsedTrace.Generate(new TraceSpec { Shape = TraceShape.Generic, NumLayers = 2, Passes = 1, SecondStreamOverlap = 0.3 });
        var ks = t.Kernels;
        var collectives = ks.Select((k, i) => (k, i)).Where(x => x.k.Name.StartsWith("ncclDevKernel_")).ToList();
        Assert.Equal(6, collectives.Count); // AllReduce: 2 per layer + 1 after the embedding; AllGather of the logits
        Assert.All(collectives, x => Assert.Equal(8, x.k.Stream));
        Assert.All(ks.Where(k => !k.Name.StartsWith("ncclDevKernel_")), k => Assert.Equal(7, k.Stream));
        foreach (var (k, i) in collectives)
        {
            var prev = ks[i - 1];
            Assert.True(k.TsNs < prev.TsNs + prev.DurNs, "collective starts before the previous kernel ends");
            Assert.True(ks[i + 1].TsNs >= k.TsNs + k.DurNs, "next main-stream kernel waits for the collective");
        }
    }

    [Fact]
    public void Write_step_annotations_one_cpu_and_one_gpu_range_per_pass()
    {
        var sglang = ParsedTrace.Generate(Small with { StepAnnotations = StepAnnotationStyle.SGLang, BatchSize = 16 });
        Assert.Equal(
            [("user_annotation", "step[DECODE bs=16]"), ("gpu_user_annotation", "step[DECODE bs=16]")],
            sglang.Annotations.Take(2).ToList());
        Assert.Equal(6, sglang.Annotations.Count);
        var vllm = ParsedTrace.Generate(Small with { StepAnnotations = StepAnnotationStyle.Vllm, IncludeCpuSide = false });
        Assert.Equal(6, vllm.Annotations.Count(a => a.Name == "execute_context_0(0)_generation_32(32)"));
    }

    [Fact]
    public void Write_throughput_for_50_MB_is_printed()
    {
        var spec = new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, TargetJsonBytes = 50_000_000 };
        TraceWriter.Write(spec with { TargetJsonBytes = 2_000_000 }, Stream.Null); // warm-up (JIT)
        var sw = Stopwatch.StartNew();
        var r = TraceWriter.Write(spec, Stream.Null);
        sw.Stop();
        var line = ThroughputLine(r.JsonBytes, r.KernelCount, r.Passes, sw.Elapsed);
        output.WriteLine(line);
        Assert.InRange(r.JsonBytes, 47_500_000, 52_500_000);
        var m = Regex.Match(line, @"^TraceGen: (\d+\.\d) MB, (\d+) kernels, (\d+) passes in (\d+\.\d\d) s = (\d+) MB/s \(to Stream\.Null\)$");
        Assert.True(m.Success, line);
        Assert.Equal((r.JsonBytes / 1e6).ToString("F1", CultureInfo.InvariantCulture), m.Groups[1].Value);
        Assert.Equal(r.KernelCount, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(r.Passes, int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        Assert.True(r.KernelCount > 10_000 && r.Passes > 1, line);
        // The printed rate is the printed size over the measured time, and not absurdly slow (50 MB in under 10 s).
        var rate = long.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture);
        Assert.Equal(Math.Round(r.JsonBytes / 1e6 / sw.Elapsed.TotalSeconds, MidpointRounding.AwayFromZero), rate);
        Assert.True(rate >= 5, line);
    }

    /// <summary>The line the throughput test prints: MB of JSON (one decimal), kernels, passes, seconds (two decimals), whole MB/s.</summary>
    private static string ThroughputLine(long jsonBytes, long kernels, int passes, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture,
            $"TraceGen: {jsonBytes / 1e6:F1} MB, {kernels} kernels, {passes} passes in {elapsed.TotalSeconds:F2} s = {jsonBytes / 1e6 / elapsed.TotalSeconds:F0} MB/s (to Stream.Null)");
}
