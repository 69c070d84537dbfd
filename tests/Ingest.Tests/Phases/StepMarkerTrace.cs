using System.Globalization;
using System.Text;

namespace LlmPipeline.Ingest.Tests.Phases;

/// <summary>
/// The B30 input (docs/messy-traces.md): the same 4 forward passes (prefill, decode, mixed, decode) of a 4-layer model
/// with three kinds of step markers. The GPU runs one step behind the CPU: pass p's kernels execute while the CPU
/// annotation of step p + 1 is open, so only the launch correlation ties them to the right annotation.
/// </summary>
public static class StepMarkerTrace
{
    public enum Markers
    {
        Vllm,
        SglangWithNestedVllm,
        ProfilerStepOnly,
    }

    public static readonly string[] Phases = ["prefill", "decode", "mixed", "decode"];
    public static readonly int[] BatchSizes = [2, 30, 4, 32];

    private const string Prefill = "flashinfer::BatchPrefillWithRaggedKVCacheKernel";
    private const string Decode = "paged_attention_v2_kernel";

    public static string Json(Markers markers)
    {
        var events = new List<string>();
        var corr = 1000;
        for (var p = 0; p < 4; p++)
        {
            double cpu = 1000.0 * p + 10;
            double gpu = 1000.0 * p + 900;
            var names = new List<string> { "embedding_kernel" };
            for (var l = 0; l < 4; l++)
            {
                var attention = Phases[p] switch { "prefill" => Prefill, "decode" => Decode, _ => l % 2 == 0 ? Prefill : Decode };
                names.AddRange(["rmsnorm_kernel", "nvjet_qkv_gemm", "rotary_embedding_kernel", attention, "nvjet_o_gemm",
                    "rmsnorm_kernel", "nvjet_gate_up_gemm", "silu_and_mul_kernel", "nvjet_down_gemm"]);
            }
            names.AddRange(["rmsnorm_kernel", "nvjet_lm_head_gemm", "argmax_kernel"]);
            var cpuStart = cpu;
            foreach (var name in names)
            {
                corr++;
                events.Add(Event("cuda_runtime", "cudaLaunchKernel", 10, "10", cpu, 1.0, $"\"correlation\": {corr}"));
                events.Add(Event("kernel", name, 0, "7", gpu, 8.0, $"\"device\": 0, \"stream\": 7, \"correlation\": {corr}"));
                cpu += 2.0;
                gpu += 10.0;
            }
            var cpuDur = cpu - cpuStart + 5;
            switch (markers)
            {
                case Markers.Vllm:
                    events.Add(Event("user_annotation", VllmName(p), 10, "10", cpuStart - 2, cpuDur, ""));
                    break;
                case Markers.SglangWithNestedVllm:
                    events.Add(Event("user_annotation", SglangName(p), 10, "10", cpuStart - 2, cpuDur, ""));
                    if (p == 1) // nested marker saying something else: the outermost marker wins (B30, TraceLens #725)
                        events.Add(Event("user_annotation", "execute_context_0(0)_generation_31(31)", 10, "10", cpuStart - 1, cpuDur - 2, ""));
                    break;
                default:
                    events.Add(Event("user_annotation", $"ProfilerStep#{p + 1}", 10, "10", cpuStart - 2, cpuDur, ""));
                    break;
            }
        }
        return "{\"schemaVersion\": 1, \"deviceProperties\": [{\"id\": 0, \"name\": \"NVIDIA H200\"}], \"traceEvents\": [\n"
               + string.Join(",\n", events) + "\n]}";
    }

    private static string VllmName(int p) => Phases[p] switch
    {
        "prefill" => "execute_context_2(512)_generation_0(0)",
        "mixed" => "execute_context_2(570)_generation_2(2)",
        _ => $"execute_context_0(0)_generation_{BatchSizes[p]}({BatchSizes[p]})",
    };

    private static string SglangName(int p) => Phases[p] switch
    {
        "prefill" => "step[EXTEND bs=2 toks=512]",
        "mixed" => "step[MIXED bs=4 toks=572]",
        _ => $"step[DECODE bs={BatchSizes[p]}]",
    };

    private static string Event(string cat, string name, int pid, string tid, double ts, double dur, string args) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"ph\": \"X\", \"cat\": \"{cat}\", \"name\": \"{name}\", \"pid\": {pid}, \"tid\": {tid}, \"ts\": {ts:0.000}, \"dur\": {dur:0.000}, \"args\": {{{args}}}}}");
}
