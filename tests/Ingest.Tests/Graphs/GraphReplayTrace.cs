using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>
/// The B26 input (docs/messy-traces.md): a main trace of decode steps that are CUDA-graph replays (each step's kernels
/// share the correlation id of one <c>cudaGraphLaunch</c> and have no External id, so no launching cpu_op), and the
/// companion capture traces an engine writes per batch size (<c>capture_traces/bs_8_rank0.json.gz</c>): the same
/// kernel sequence, each kernel launched by a cpu_op with its Input Dims. A 4-layer model, 40 kernels per step.
/// </summary>
public static class GraphReplayTrace
{
    public const int Layers = 4;
    public const int KernelsPerStep = 1 + Layers * 9 + 3;

    /// <summary>Kernel name → (launching op, Input Dims at batch size 8 / 16 as compact JSON).</summary>
    private static readonly Dictionary<string, (string Op, string Dims8, string Dims16)> Ops = new()
    {
        ["embedding_kernel"] = ("aten::embedding", "[[32000,4096],[8]]", "[[32000,4096],[16]]"),
        ["rmsnorm_kernel"] = ("_C::rms_norm", "[[8,4096],[8,4096],[4096],[]]", "[[16,4096],[16,4096],[4096],[]]"),
        ["nvjet_qkv_gemm"] = ("aten::mm", "[[8,4096],[4096,6144]]", "[[16,4096],[4096,6144]]"),
        ["rotary_embedding_kernel"] = ("_C::rotary_embedding", "[[8],[8,4096],[8,1024]]", "[[16],[16,4096],[16,1024]]"),
        ["paged_attention_v2_kernel"] = ("_C::paged_attention_v2", "[[8,32,128]]", "[[16,32,128]]"),
        ["nvjet_o_gemm"] = ("aten::mm", "[[8,4096],[4096,4096]]", "[[16,4096],[4096,4096]]"),
        ["nvjet_gate_up_gemm"] = ("aten::mm", "[[8,4096],[4096,28672]]", "[[16,4096],[4096,28672]]"),
        ["silu_and_mul_kernel"] = ("_C::silu_and_mul", "[[8,14336],[8,28672]]", "[[16,14336],[16,28672]]"),
        ["nvjet_down_gemm"] = ("aten::mm", "[[8,14336],[14336,4096]]", "[[16,14336],[14336,4096]]"),
        ["nvjet_lm_head_gemm"] = ("aten::mm", "[[8,4096],[4096,32000]]", "[[16,4096],[4096,32000]]"),
        ["argmax_kernel"] = ("aten::argmax", "[[8,32000]]", "[[16,32000]]"),
    };

    public static IReadOnlyList<string> StepKernels()
    {
        var names = new List<string> { "embedding_kernel" };
        for (var l = 0; l < Layers; l++)
            names.AddRange(["rmsnorm_kernel", "nvjet_qkv_gemm", "rotary_embedding_kernel", "paged_attention_v2_kernel", "nvjet_o_gemm",
                "rmsnorm_kernel", "nvjet_gate_up_gemm", "silu_and_mul_kernel", "nvjet_down_gemm"]);
        names.AddRange(["rmsnorm_kernel", "nvjet_lm_head_gemm", "argmax_kernel"]);
        return names;
    }

    /// <summary>Op and Input Dims the bs=8 capture gives <paramref name="kernel"/>.</summary>
    public static (string Op, string Dims) Bs8(string kernel) => (Ops[kernel].Op, Ops[kernel].Dims8);

    /// <summary>
    /// The main trace: <paramref name="steps"/> decode steps, each one <c>cudaGraphLaunch</c> whose kernels run 10 µs
    /// apart, 8 µs each (grid of batch size 8). With <paramref name="whileNode"/>, the kernels run back to back for
    /// 10 µs each, and after layer 1 the GPU runs work that was not traced (the later iterations of a graph while-node,
    /// kineto #1062) for three times the recorded kernel time: the step spans 4x the sum of its kernels.
    /// </summary>
    public static string Replays(int steps = 4, bool whileNode = false)
    {
        var events = new List<string>();
        var names = StepKernels();
        for (var p = 0; p < steps; p++)
        {
            long corr = 5000 + p;
            double cpu = 10_000.0 * p + 10;
            double gpu = 10_000.0 * p + 500;
            events.Add(Event("user_annotation", "step[DECODE bs=8]", 10, "10", cpu - 2, 20, ""));
            events.Add(Event("cuda_runtime", "cudaGraphLaunch", 10, "10", cpu, 5, $"\"correlation\": {corr}"));
            for (var i = 0; i < names.Count; i++)
            {
                events.Add(Event("kernel", names[i], 0, "7", gpu, whileNode ? 10 : 8,
                    $"\"device\": 0, \"stream\": 7, \"correlation\": {corr}, \"grid\": {Grid(names[i], 8)}, \"block\": [128, 1, 1]"));
                gpu += 10;
                if (whileNode && i == 1 + 2 * 9 - 1) gpu += 3 * 10 * names.Count; // untraced while-node iterations
            }
        }
        return Document(events);
    }

    /// <summary>
    /// A companion capture trace at <paramref name="batchSize"/> (8 or 16): one eager run of the step, each kernel
    /// launched by a cudaLaunchKernel under its cpu_op; the rotary kernels carry no External id (linked through the
    /// launch's correlation only). <paramref name="renamed"/> replaces the attention kernel (a capture of another graph).
    /// </summary>
    public static string Capture(int batchSize, bool renamed = false)
    {
        var events = new List<string>();
        var names = StepKernels();
        double cpu = 100, gpu = 1000;
        for (var i = 0; i < names.Count; i++)
        {
            var name = renamed && names[i] == "paged_attention_v2_kernel" ? "flash_decode_kernel" : names[i];
            var ext = 700 + i;
            var corr = 9000 + i;
            var (op, dims8, dims16) = Ops[names[i]];
            events.Add(Event("cpu_op", op, 10, "10", cpu, 4, $"\"External id\": {ext}, \"Input Dims\": {(batchSize == 8 ? dims8 : dims16)}"));
            events.Add(Event("cuda_runtime", "cudaLaunchKernel", 10, "10", cpu + 1, 2, $"\"External id\": {ext}, \"correlation\": {corr}"));
            var extArg = name == "rotary_embedding_kernel" ? "" : $"\"External id\": {ext}, ";
            events.Add(Event("kernel", name, 0, "7", gpu, 8,
                $"\"device\": 0, \"stream\": 7, {extArg}\"correlation\": {corr}, \"grid\": {Grid(names[i], batchSize)}, \"block\": [128, 1, 1]"));
            cpu += 5;
            gpu += 10;
        }
        return Document(events);
    }

    public static void WriteGzip(string path, string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Grids scale with the batch size for the GEMMs (as real launches do), the rest are fixed.</summary>
    private static string Grid(string kernel, int batchSize) =>
        kernel.StartsWith("nvjet_", StringComparison.Ordinal) ? $"[{batchSize * 4}, 1, 1]" : "[64, 1, 1]";

    private static string Document(List<string> events) =>
        "{\"schemaVersion\": 1, \"deviceProperties\": [{\"id\": 0, \"name\": \"AMD Instinct MI300X\"}], \"traceEvents\": [\n"
        + string.Join(",\n", events) + "\n]}";

    private static string Event(string cat, string name, int pid, string tid, double ts, double dur, string args) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"ph\": \"X\", \"cat\": \"{cat}\", \"name\": \"{name}\", \"pid\": {pid}, \"tid\": {tid}, \"ts\": {ts:0.000}, \"dur\": {dur:0.000}, \"args\": {{{args}}}}}");
}
