using System.Globalization;
using System.Text;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>
/// Small replay and capture traces of each kind a graph-capture companion comes in. A replay trace holds graph
/// launches (<c>hipGraphLaunch</c> or <c>cudaGraphLaunch</c>) whose kernels share the launch's correlation id and have
/// no External id. A capture trace holds, per captured kernel, its cpu_op (External id, Input Dims, Input type) and
/// its launch record, optionally inside <c>nn.Module</c> scopes, in one of the forms real engines write.
/// </summary>
internal static class CaptureKinds
{
    /// <summary>How a capture names its launches.</summary>
    public enum Naming
    {
        /// <summary>ROCm: <c>hipLaunchKernel</c> with <c>args.kernel</c>, no kernel events.</summary>
        LaunchArg,

        /// <summary>CUDA: <c>cudaLaunchKernel</c> without a name; the kernel events (written in reverse file order) carry it, joined by correlation.</summary>
        KernelEventByCorrelation,

        /// <summary>CUDA: <c>cudaLaunchKernel</c> only, no kernel events: nothing names the launches.</summary>
        None,
    }

    /// <summary>One captured kernel: name, grid, launching op and its Input Dims / Input type, the innermost module, the layer (null: outside layers).</summary>
    public sealed record Captured(string Name, string Grid, string Op, string Dims, string Types, string? Module, int? Layer);

    /// <summary>One replayed kernel: name, stream, grid.</summary>
    public sealed record Replayed(string Name, long Stream, string Grid);

    /// <summary>
    /// A replay trace: <paramref name="steps"/> graph launches, each running <paramref name="kernels"/> in that order
    /// (10 µs apart), preceded by a step annotation <c>step[DECODE bs=N]</c> when <paramref name="batchSize"/> is given.
    /// </summary>
    public static string Replay(IReadOnlyList<Replayed> kernels, string api, int? batchSize, int steps = 2)
    {
        var events = new List<string>();
        for (var p = 0; p < steps; p++)
        {
            long corr = 5000 + p;
            double cpu = 10_000.0 * p + 10, gpu = 10_000.0 * p + 500;
            if (batchSize is int bs) events.Add(Event("user_annotation", $"step[DECODE bs={bs}]", 10, 10, cpu - 2, 20, ""));
            events.Add(Event("cuda_runtime", api, 10, 10, cpu, 5, $"\"correlation\": {corr}"));
            foreach (var k in kernels)
            {
                events.Add(Event("kernel", k.Name, 0, k.Stream, gpu, 8,
                    $"\"device\": 0, \"stream\": {k.Stream}, \"correlation\": {corr}, \"grid\": {k.Grid}, \"block\": [128, 1, 1]"));
                gpu += 10;
            }
        }
        return Document(events);
    }

    /// <summary>
    /// A capture trace of <paramref name="kernels"/> in launch order: per kernel its cpu_op and launch record, inside a
    /// <c>nn.Module: {module}</c> scope, inside <c>nn.Module: ToyDecoderLayer_{layer}</c> for kernels of a layer, all
    /// inside <c>nn.Module: ToyModel_0</c>; a <c>capture_{bs}_DECODE</c> annotation and a <c>hipStreamGetCaptureInfo</c>
    /// call before each launch.
    /// </summary>
    public static string Capture(IReadOnlyList<Captured> kernels, Naming naming, int batchSize = 8)
    {
        var events = new List<string>();
        double t = 100;
        var start = t;
        var kernelEvents = new List<string>();
        int? openLayer = null;
        var layerStart = 0.0;
        void CloseLayer(double end)
        {
            if (openLayer is int l) events.Add(Event("python_function", $"nn.Module: ToyDecoderLayer_{l}", 10, 10, layerStart, end - layerStart, ""));
            openLayer = null;
        }
        for (var i = 0; i < kernels.Count; i++)
        {
            var k = kernels[i];
            if (k.Layer != openLayer)
            {
                CloseLayer(t);
                if (k.Layer is int l) (openLayer, layerStart) = (l, t);
            }
            t += 1;
            var ext = 700 + i;
            var corr = 9000 + i;
            if (k.Module is { } module) events.Add(Event("python_function", $"nn.Module: {module}", 10, 10, t, 8, ""));
            events.Add(Event("cpu_op", k.Op, 10, 10, t + 1, 6, $"\"External id\": {ext}, \"Input Dims\": {k.Dims}, \"Input type\": {k.Types}"));
            events.Add(Event("cuda_runtime", naming == Naming.LaunchArg ? "hipStreamGetCaptureInfo" : "cudaStreamGetCaptureInfo", 10, 10, t + 2, 0.5, $"\"correlation\": {corr - 1000}"));
            events.Add(naming == Naming.LaunchArg
                ? Event("cuda_runtime", "hipLaunchKernel", 10, 10, t + 3, 2,
                    $"\"External id\": {ext}, \"correlation\": {corr}, \"kernel\": \"{k.Name}\", \"grid\": {k.Grid}, \"block\": [128, 1, 1]")
                : Event("cuda_runtime", "cudaLaunchKernel", 10, 10, t + 3, 2, $"\"External id\": {ext}, \"correlation\": {corr}"));
            if (naming == Naming.KernelEventByCorrelation)
                kernelEvents.Insert(0, Event("kernel", k.Name, 0, 7, 50_000 + 10 * i, 8,
                    $"\"device\": 0, \"stream\": 7, \"correlation\": {corr}, \"grid\": {k.Grid}, \"block\": [128, 1, 1]"));
            t += 10;
        }
        CloseLayer(t);
        events.Add(Event("python_function", "nn.Module: ToyModel_0", 10, 10, start, t - start + 1, ""));
        events.Add(Event("user_annotation", $"capture_{batchSize}_DECODE", 10, 10, start - 1, t - start + 3, ""));
        events.AddRange(kernelEvents);
        return Document(events);
    }

    /// <summary>The 4-layer step of <see cref="GraphReplayTrace"/> as captured at batch size <paramref name="bs"/>: every kernel its own op dims (M = bs).</summary>
    public static List<Captured> Step(int bs)
    {
        var list = new List<Captured> { new("embedding_kernel", "[64,1,1]", "aten::embedding", $"[[32000,4096],[{bs}]]", "[\"c10::BFloat16\",\"long int\"]", "VocabParallelEmbedding_0", null) };
        for (var l = 0; l < GraphReplayTrace.Layers; l++)
        {
            list.Add(new("rmsnorm_kernel", "[64,1,1]", "_C::rms_norm", $"[[{bs},4096],[4096]]", "[\"c10::BFloat16\",\"c10::BFloat16\"]", $"RMSNorm_{2 * l}", l));
            list.Add(new("nvjet_qkv_gemm", Grid(bs), "aten::mm", $"[[{bs},4096],[4096,6144]]", "[\"c10::BFloat16\",\"c10::BFloat16\"]", $"QKVParallelLinear_{l}", l));
            list.Add(new("rotary_embedding_kernel", "[64,1,1]", "_C::rotary_embedding", $"[[{bs}],[{bs},4096],[{bs},1024]]", "[\"long int\",\"c10::BFloat16\",\"c10::BFloat16\"]", "RotaryEmbedding_0", l));
            list.Add(new("paged_attention_v2_kernel", "[64,1,1]", "_C::paged_attention_v2", $"[[{bs},32,128]]", "[\"c10::BFloat16\"]", $"Attention_{l}", l));
            list.Add(new("nvjet_o_gemm", Grid(bs), "aten::mm", $"[[{bs},4096],[4096,4096]]", "[\"c10::BFloat16\",\"c10::BFloat16\"]", $"RowParallelLinear_{2 * l}", l));
            list.Add(new("rmsnorm_kernel", "[64,1,1]", "_C::rms_norm", $"[[{bs},4096],[4096]]", "[\"c10::BFloat16\",\"c10::BFloat16\"]", $"RMSNorm_{2 * l + 1}", l));
            list.Add(new("nvjet_gate_up_gemm", Grid(bs), "aten::mm", $"[[{bs},4096],[4096,28672]]", "[\"c10::BFloat16\",\"c10::BFloat16\"]", $"MergedColumnParallelLinear_{l}", l));
            list.Add(new("silu_and_mul_kernel", "[64,1,1]", "_C::silu_and_mul", $"[[{bs},14336],[{bs},28672]]", "[\"c10::BFloat16\",\"c10::BFloat16\"]", $"SiluAndMul_{l}", l));
            list.Add(new("nvjet_down_gemm", Grid(bs), "aten::mm", $"[[{bs},14336],[14336,4096]]", "[\"c10::BFloat16\",\"c10::BFloat16\"]", $"RowParallelLinear_{2 * l + 1}", l));
        }
        list.Add(new("rmsnorm_kernel", "[64,1,1]", "_C::rms_norm", $"[[{bs},4096],[4096]]", "[\"c10::BFloat16\",\"c10::BFloat16\"]", $"RMSNorm_{2 * GraphReplayTrace.Layers}", null));
        list.Add(new("nvjet_lm_head_gemm", Grid(bs), "aten::mm", $"[[{bs},4096],[4096,32000]]", "[\"c10::BFloat16\",\"c10::BFloat16\"]", "LogitsProcessor_0", null));
        list.Add(new("argmax_kernel", "[64,1,1]", "aten::argmax", $"[[{bs},32000]]", "[\"float\"]", null, null));
        return list;
    }

    /// <summary>The replay of <paramref name="captured"/> on one stream with the grids it was captured with.</summary>
    public static List<Replayed> AsReplayed(IEnumerable<Captured> captured, long stream = 7) =>
        captured.Select(c => new Replayed(c.Name, stream, c.Grid)).ToList();

    /// <summary>GEMM grids scale with the batch size; <paramref name="bs"/> 0 gives the one grid of both batch sizes (a tie).</summary>
    public static string Grid(int bs) => $"[{Math.Max(bs, 1) * 4},1,1]";

    private static string Document(List<string> events) =>
        "{\"schemaVersion\": 1, \"deviceProperties\": [{\"id\": 0, \"name\": \"AMD Instinct MI300X\"}], \"traceEvents\": [\n"
        + string.Join(",\n", events) + "\n]}";

    private static string Event(string cat, string name, int pid, long tid, double ts, double dur, string args) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"ph\": \"X\", \"cat\": \"{cat}\", \"name\": \"{name}\", \"pid\": {pid}, \"tid\": {tid}, \"ts\": {ts:0.000}, \"dur\": {dur:0.000}, \"args\": {{{args}}}}}");

    /// <summary>Writes <paramref name="json"/> to <paramref name="path"/> (folders created).</summary>
    public static void Write(string path, string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json, new UTF8Encoding(false));
    }
}
