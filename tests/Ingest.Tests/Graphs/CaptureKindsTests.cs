using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using Xunit;
using static LlmPipeline.Ingest.Tests.Graphs.CaptureKinds;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>
/// Graph replays attributed from each kind of capture trace (<see cref="CaptureKinds"/>): two replays of the 40-kernel,
/// 4-layer step of <see cref="GraphReplayTrace"/>; every expectation is the captured kernel's own op, Input Dims,
/// Input type and modules, written out by hand.
/// </summary>
public sealed class CaptureKindsTests
{
    private const int Kernels = 2 * 40;

    private static IngestOutcome Ingest(TempDir dir, string replay, string? captureTraces = null, bool force = false) =>
        TraceIngestor.Ingest(new IngestRequest
        {
            TracePath = replay,
            DbPath = dir.File("t.db"),
            Segmentation = new() { NumLayers = GraphReplayTrace.Layers },
            CaptureTraces = captureTraces,
            Force = force,
        });

    private static string ReplayFile(TempDir dir, IReadOnlyList<Replayed> kernels, string api = "hipGraphLaunch", int? bs = 8)
    {
        var path = dir.File("decode.json");
        CaptureKinds.Write(path, Replay(kernels, api, bs));
        return path;
    }

    /// <summary>(op_name, input_dims, input_types, module, layer_module) of the replayed kernels named <paramref name="name"/>, in start order.</summary>
    private static List<string> Of(TempDir dir, string name) => Ingesting.Strings(dir, $"""
        SELECT coalesce(op_name, '-') || ' ' || coalesce(input_dims, '-') || ' ' || coalesce(input_types, '-') || ' ' || coalesce(module, '-') || ' ' || coalesce(layer_module, '-')
        FROM kernels k JOIN kernel_names n USING (name_id) WHERE n.name = '{name}' ORDER BY k.kernel_idx
        """);

    private static string Runs(TempDir dir) => Ingesting.Scalar<string>(dir,
        "SELECT graph_launch_api || '|' || replay_kernels || '|' || replay_attributed || '|' || coalesce(replay_match, '-') || '|' || coalesce(replay_captures, '-') FROM runs");

    private static readonly string[] QkvBs8 =
    [
        "aten::mm [[8,4096],[4096,6144]] [\"c10::BFloat16\",\"c10::BFloat16\"] QKVParallelLinear_0 ToyDecoderLayer_0",
        "aten::mm [[8,4096],[4096,6144]] [\"c10::BFloat16\",\"c10::BFloat16\"] QKVParallelLinear_1 ToyDecoderLayer_1",
        "aten::mm [[8,4096],[4096,6144]] [\"c10::BFloat16\",\"c10::BFloat16\"] QKVParallelLinear_2 ToyDecoderLayer_2",
        "aten::mm [[8,4096],[4096,6144]] [\"c10::BFloat16\",\"c10::BFloat16\"] QKVParallelLinear_3 ToyDecoderLayer_3",
    ];

    [Fact]
    public void Launch_only_capture_names_kernels_by_args_kernel_and_gives_op_shapes_types_and_modules()
    {
        using var dir = new TempDir();
        CaptureKinds.Write(dir.File("capture_traces/bs_8_rank0.json"), Capture(Step(8), Naming.LaunchArg));
        var outcome = Ingest(dir, ReplayFile(dir, AsReplayed(Step(8))));

        Assert.Equal($"hipGraphLaunch|{Kernels}|{Kernels}|sequence|bs_8_rank0.json", Runs(dir));
        Assert.Equal([.. QkvBs8, .. QkvBs8], Of(dir, "nvjet_qkv_gemm"));
        Assert.Equal(["aten::mm [[8,4096],[4096,32000]] [\"c10::BFloat16\",\"c10::BFloat16\"] LogitsProcessor_0 -",
                      "aten::mm [[8,4096],[4096,32000]] [\"c10::BFloat16\",\"c10::BFloat16\"] LogitsProcessor_0 -"], Of(dir, "nvjet_lm_head_gemm"));
        // argmax runs outside every module but ToyModel_0
        Assert.Equal("aten::argmax [[8,32000]] [\"float\"] ToyModel_0 -", Of(dir, "argmax_kernel")[0]);
        Assert.Contains("Graph replays: 80 of 80 kernels of 2 hipGraphLaunch replay(s) (100.0 %) took op, shapes and modules from bs_8_rank0.json, aligned by sequence.", outcome.Summary, StringComparison.Ordinal);
        Assert.Empty(outcome.Warnings);
    }

    [Fact]
    public void Cuda_capture_names_launches_through_the_kernel_event_of_their_correlation()
    {
        using var dir = new TempDir();
        // the kernel events are written in reverse order: only the correlation id pairs them with their launches
        CaptureKinds.Write(dir.File("capture_traces/bs_8_rank0.json"), Capture(Step(8), Naming.KernelEventByCorrelation));
        Ingest(dir, ReplayFile(dir, AsReplayed(Step(8)), api: "cudaGraphLaunch"));
        Assert.Equal($"cudaGraphLaunch|{Kernels}|{Kernels}|sequence|bs_8_rank0.json", Runs(dir));
        Assert.Equal([.. QkvBs8, .. QkvBs8], Of(dir, "nvjet_qkv_gemm"));
    }

    [Fact]
    public void Cuda_capture_without_names_aligns_by_launch_order_only_when_the_counts_agree()
    {
        using var dir = new TempDir();
        CaptureKinds.Write(dir.File("capture_traces/bs_8_rank0.json"), Capture(Step(8), Naming.None));
        Ingest(dir, ReplayFile(dir, AsReplayed(Step(8)), api: "cudaGraphLaunch"));
        Assert.Equal($"cudaGraphLaunch|{Kernels}|{Kernels}|launch order|bs_8_rank0.json", Runs(dir));
        Assert.Equal([.. QkvBs8, .. QkvBs8], Of(dir, "nvjet_qkv_gemm"));

        using var other = new TempDir();
        CaptureKinds.Write(other.File("capture_traces/bs_8_rank0.json"), Capture(Step(8).Skip(1).ToList(), Naming.None));
        Ingest(other, ReplayFile(other, AsReplayed(Step(8)), api: "cudaGraphLaunch"));
        Assert.Equal($"cudaGraphLaunch|{Kernels}|0|-|-", Runs(other));
        Assert.Equal("no per-kernel attribution for 80 of 80 kernels launched by 2 cudaGraphLaunch replay(s): op_name and input_dims are NULL; none of the 1 capture trace(s) read holds their kernel sequence",
            Ingesting.Scalar<string>(other, "SELECT detail FROM ingest_warnings WHERE kind = 'graph_replay_unattributed'"));
    }

    [Fact]
    public void Replay_whose_order_is_a_rotation_of_the_capture_is_aligned_by_rotation()
    {
        using var dir = new TempDir();
        var step = Step(8);
        CaptureKinds.Write(dir.File("capture_traces/bs_8_rank0.json"), Capture(step, Naming.LaunchArg));
        // the replay runs from the third layer's O projection on, wrapping around (TraceLens#798: replay order rotated)
        Ingest(dir, ReplayFile(dir, AsReplayed(step.Skip(23).Concat(step.Take(23)))));
        Assert.Equal($"hipGraphLaunch|{Kernels}|{Kernels}|rotation|bs_8_rank0.json", Runs(dir));
        string[] rotated = [QkvBs8[3], QkvBs8[0], QkvBs8[1], QkvBs8[2]];
        Assert.Equal([.. rotated, .. rotated], Of(dir, "nvjet_qkv_gemm"));
    }

    [Fact]
    public void Capture_with_each_layer_rotated_is_aligned_by_the_kth_kernel_of_each_name()
    {
        using var dir = new TempDir();
        var step = Step(8);
        // every layer's 9 kernels captured two later: [rotary .. down, norm, qkv]; the k-th qkv is still layer k's
        var perLayer = step.Take(1).ToList();
        for (var l = 0; l < GraphReplayTrace.Layers; l++)
        {
            var layer = step.Skip(1 + 9 * l).Take(9).ToList();
            perLayer.AddRange(layer.Skip(2).Concat(layer.Take(2)));
        }
        perLayer.AddRange(step.Skip(1 + 9 * GraphReplayTrace.Layers));
        CaptureKinds.Write(dir.File("capture_traces/bs_8_rank0.json"), Capture(perLayer, Naming.LaunchArg));
        Ingest(dir, ReplayFile(dir, AsReplayed(step)));
        Assert.Equal($"hipGraphLaunch|{Kernels}|{Kernels}|group-by-name|bs_8_rank0.json", Runs(dir));
        Assert.Equal([.. QkvBs8, .. QkvBs8], Of(dir, "nvjet_qkv_gemm"));
        Assert.Equal("_C::silu_and_mul [[8,14336],[8,28672]] [\"c10::BFloat16\",\"c10::BFloat16\"] SiluAndMul_3 ToyDecoderLayer_3", Of(dir, "silu_and_mul_kernel")[3]);
    }

    [Fact]
    public void Two_stream_replay_in_another_interleaving_than_the_launches_is_aligned_per_stream()
    {
        using var dir = new TempDir();
        var step = Step(8);
        CaptureKinds.Write(dir.File("capture_traces/bs_8_rank0.json"), Capture(step, Naming.LaunchArg));
        // attention runs on stream 9 and finishes after the O projection of stream 7 started
        var replay = new List<Replayed>();
        Replayed? held = null;
        foreach (var k in step)
        {
            if (k.Name == "paged_attention_v2_kernel")
            {
                held = new Replayed(k.Name, 9, k.Grid);
                continue;
            }
            replay.Add(new Replayed(k.Name, 7, k.Grid));
            if (held is not null && k.Name == "nvjet_o_gemm")
            {
                replay.Add(held);
                held = null;
            }
        }
        Ingest(dir, ReplayFile(dir, replay));
        Assert.Equal($"hipGraphLaunch|{Kernels}|{Kernels}|per-stream|bs_8_rank0.json", Runs(dir));
        Assert.Equal("_C::paged_attention_v2 [[8,32,128]] [\"c10::BFloat16\"] Attention_2 ToyDecoderLayer_2", Of(dir, "paged_attention_v2_kernel")[2]);
        Assert.Equal("aten::mm [[8,4096],[4096,4096]] [\"c10::BFloat16\",\"c10::BFloat16\"] RowParallelLinear_4 ToyDecoderLayer_2", Of(dir, "nvjet_o_gemm")[2]);
    }

    [Fact]
    public void Two_batch_sizes_with_identical_sequences_and_grids_are_chosen_by_batch_size_never_by_the_tie()
    {
        using var dir = new TempDir();
        static List<Captured> SameGrid(int bs) => Step(bs).Select(c => c with { Grid = "[64,1,1]" }).ToList();
        // bs_16 sorts first and matches as well as bs_8 by names and grids
        CaptureKinds.Write(dir.File("capture_traces/bs_16_rank0.json"), Capture(SameGrid(16), Naming.LaunchArg, 16));
        CaptureKinds.Write(dir.File("capture_traces/bs_8_rank0.json"), Capture(SameGrid(8), Naming.LaunchArg, 8));
        Ingest(dir, ReplayFile(dir, AsReplayed(SameGrid(8))));
        Assert.Equal($"hipGraphLaunch|{Kernels}|{Kernels}|sequence|bs_8_rank0.json", Runs(dir));
        Assert.Equal([.. QkvBs8, .. QkvBs8], Of(dir, "nvjet_qkv_gemm"));

        // batch size 12 runs on the graph captured for the next larger size, 16
        using var padded = new TempDir();
        CaptureKinds.Write(padded.File("capture_traces/bs_16_rank0.json"), Capture(SameGrid(16), Naming.LaunchArg, 16));
        CaptureKinds.Write(padded.File("capture_traces/bs_8_rank0.json"), Capture(SameGrid(8), Naming.LaunchArg, 8));
        Ingest(padded, ReplayFile(padded, AsReplayed(SameGrid(12)), bs: 12));
        Assert.Equal($"hipGraphLaunch|{Kernels}|{Kernels}|sequence|bs_16_rank0.json", Runs(padded));

        // the trace does not say its batch size: no shapes from either
        using var unknown = new TempDir();
        CaptureKinds.Write(unknown.File("capture_traces/bs_16_rank0.json"), Capture(SameGrid(16), Naming.LaunchArg, 16));
        CaptureKinds.Write(unknown.File("capture_traces/bs_8_rank0.json"), Capture(SameGrid(8), Naming.LaunchArg, 8));
        Ingest(unknown, ReplayFile(unknown, AsReplayed(SameGrid(8)), bs: null));
        Assert.Equal($"hipGraphLaunch|{Kernels}|0|-|-", Runs(unknown));
        Assert.Equal(0, Ingesting.Scalar<long>(unknown, "SELECT count(*) FROM kernels WHERE input_dims IS NOT NULL"));
        Assert.Equal("no per-kernel attribution for 80 of 80 kernels launched by 2 hipGraphLaunch replay(s): op_name and input_dims are NULL; "
            + "capture traces of different batch sizes match them equally (bs_16_rank0.json: batch size 16, bs_8_rank0.json: batch size 8) and the trace does not say its batch size; pass the right one with --capture-traces FILE",
            Ingesting.Scalar<string>(unknown, "SELECT detail FROM ingest_warnings WHERE kind = 'graph_replay_unattributed'"));
    }

    [Fact]
    public void Capture_trace_given_as_the_trace_to_ingest_stores_nothing_even_with_force()
    {
        using var dir = new TempDir();
        var capture = dir.File("bs_8_rank0.json");
        CaptureKinds.Write(capture, Capture(Step(8), Naming.LaunchArg));
        foreach (var force in new[] { false, true })
        {
            var ex = Assert.Throws<GraphCaptureTraceException>(() => Ingest(dir, capture, force: force));
            Assert.Equal($"{capture}: a graph-capture trace (40 kernel launches but 0 kernel events, annotation 'capture_8_DECODE', 40 stream-capture calls (hipStreamGetCaptureInfo)): "
                + "it records the capture of a CUDA/HIP graph, whose kernels never ran, so it is not a run and nothing was stored. "
                + $"Use it with the replay trace it belongs with: llmpipe ingest REPLAY_TRACE --capture-traces {capture} (or put it in a capture_traces/ folder beside that trace, where it is found by default).", ex.Message);
        }
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM runs"));
    }

    [Fact]
    public void Trace_whose_profiler_dropped_kernel_records_is_not_taken_for_a_capture()
    {
        using var dir = new TempDir();
        // launches without kernels but none of the other signs (no capture annotation, no capture calls, no capture_traces/ folder)
        var trace = dir.File("eager.json");
        var json = Capture(Step(8), Naming.LaunchArg).Replace("capture_8_DECODE", "step[DECODE bs=8]", StringComparison.Ordinal)
            .Replace("hipStreamGetCaptureInfo", "hipGetDevicePropertiesR0600", StringComparison.Ordinal);
        CaptureKinds.Write(trace, json);
        var outcome = Ingest(dir, trace);
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM runs"));
        Assert.Equal(0, outcome.KernelCount);
    }
}
