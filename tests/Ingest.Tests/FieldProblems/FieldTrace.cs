using System.Globalization;
using System.Text;

namespace LlmPipeline.Ingest.Tests.FieldProblems;

/// <summary>
/// The baseline trace the 2026 field problems are variants of, built in memory: <see cref="Passes"/> forward passes of
/// a 4-layer model, 40 kernels each (embedding, 4 × 9 layer kernels, final norm, lm_head, argmax) on stream 7 of GPU 0,
/// 8 µs each with 2 µs gaps. Every kernel has a <c>cpu_op</c> named <c>op:&lt;kernel name&gt;</c> (External id =
/// correlation + <see cref="ExternalIdOffset"/>) and a runtime launch (correlation, External id). The GPU runs
/// 890 µs behind the CPU: pass p's launches start at 1000·p + 10 µs, its kernels at 1000·p + 900 µs. Each knob
/// below turns one field problem on; the defaults give the CUDA baseline (3 passes, 120 kernels, 120 launches).
/// </summary>
internal sealed record FieldTrace
{
    /// <summary>Layer kernels per layer, in order (the attention kernel is the decode one unless a pass is prefill).</summary>
    public static readonly string[] LayerKernels =
        ["rmsnorm_kernel", "nvjet_qkv_gemm", "rotary_embedding_kernel", "paged_attention_v2_kernel", "nvjet_o_gemm",
         "rmsnorm_kernel", "nvjet_gate_up_gemm", "silu_and_mul_kernel", "nvjet_down_gemm"];

    public const int KernelsPerPass = 40;
    public const string CommKernel = "ncclDevKernel_Generic";

    public int Passes { get; init; } = 3;

    /// <summary>Category of the launch records.</summary>
    public string LaunchCat { get; init; } = "cuda_runtime";

    /// <summary>Launch name of kernel i (0-based in file order) → name.</summary>
    public Func<int, string> LaunchName { get; init; } = _ => "cudaLaunchKernel";

    /// <summary>The kernels' stream arguments (without braces), e.g. <c>"stream": 7</c>.</summary>
    public string StreamArgs { get; init; } = "\"stream\": 7";

    /// <summary>The kernels' tid as JSON.</summary>
    public string KernelTid { get; init; } = "7";

    /// <summary>The GPU events' pid.</summary>
    public int GpuPid { get; init; }

    /// <summary>deviceProperties[0].name.</summary>
    public string GpuName { get; init; } = "NVIDIA H200";

    /// <summary>External id = correlation + this (on cpu_op and launch).</summary>
    public int ExternalIdOffset { get; init; } = 5000;

    /// <summary>When true every External id written (cpu_op, launch, kernel) is 0.</summary>
    public bool ZeroExternalIds { get; init; }

    /// <summary>Whether kernels carry their own External id.</summary>
    public bool KernelExternalId { get; init; } = true;

    /// <summary>Whether cpu_op, launch and annotation events are written (false: GPU-only trace).</summary>
    public bool CpuSide { get; init; } = true;

    /// <summary>Step annotation name of pass p, or null for none.</summary>
    public Func<int, string?> StepName { get; init; } = p => $"execute_context_0(0)_generation_{30 + p}({30 + p})";

    /// <summary>Attention kernel of pass p (decode by default).</summary>
    public Func<int, string> AttentionKernel { get; init; } = _ => "paged_attention_v2_kernel";

    /// <summary>Shift of kernel k's ts (0-based in start order over the whole trace), µs: a GPU clock offset or drift.</summary>
    public Func<int, double> KernelShiftUs { get; init; } = _ => 0;

    /// <summary>Communication kernels per layer on <see cref="CommStreamArgs"/>, each overlapping the layer's o-proj GEMM.</summary>
    public int CommPerLayer { get; init; }

    /// <summary>Communication kernels per pass (one, overlapping the pass's first layer), on <see cref="CommStreamArgs"/>.</summary>
    public int CommPerPass { get; init; }

    /// <summary>Stream arguments of the communication kernels.</summary>
    public string CommStreamArgs { get; init; } = "\"stream\": 20";

    /// <summary>tid of the communication kernels.</summary>
    public string CommTid { get; init; } = "20";

    /// <summary>Launch name of communication kernels.</summary>
    public string CommLaunchName { get; init; } = "hipExtLaunchKernel";

    /// <summary>When true, communication kernel events carry <c>correlation: 0, External id: 0</c> (their launches keep real ids).</summary>
    public bool CommCorrelationZero { get; init; }

    /// <summary>Extra top-level members written before traceEvents (e.g. <c>"displayTimeUnit": "ns",</c>).</summary>
    public string Header { get; init; } = "";

    /// <summary>Extra top-level members written after traceEvents (e.g. <c>, "displayTimeUnit": "ns"</c>).</summary>
    public string Trailer { get; init; } = "";

    /// <summary><c>distributedInfo</c> rank, or null for none.</summary>
    public int? Rank { get; init; }

    /// <summary>Time from one pass's first launch to the next's, µs.</summary>
    public double PassSpacingUs { get; init; } = 1000;

    /// <summary>
    /// Also project the step annotation and per-layer <c>model.layers.N</c> ranges onto the kernel row as
    /// <c>gpu_user_annotation</c> spans (pid = GPU pid, tid 7; the layer spans without <c>args.stream</c>).
    /// </summary>
    public bool GpuUserAnnotations { get; init; }

    /// <summary>Start of the whole trace, µs (pass p starts at this + <see cref="PassSpacingUs"/>·p).</summary>
    public double OriginUs { get; init; } = 1000;

    /// <summary>The trace as JSON text.</summary>
    public string Json()
    {
        var events = new List<string>();
        var corr = 1000;
        var k = 0;
        var launchIdx = 0;
        for (var p = 0; p < Passes; p++)
        {
            var cpu = OriginUs + PassSpacingUs * p + 10;
            var gpu = OriginUs + PassSpacingUs * p + 900;
            var names = new List<string> { "embedding_kernel" };
            for (var l = 0; l < 4; l++)
                names.AddRange(LayerKernels.Select(n => n == "paged_attention_v2_kernel" ? AttentionKernel(p) : n));
            names.AddRange(["rmsnorm_kernel", "nvjet_lm_head_gemm", "argmax_kernel"]);
            var cpuStart = cpu;
            for (var i = 0; i < names.Count; i++)
            {
                corr++;
                var ext = ZeroExternalIds ? 0 : corr + ExternalIdOffset;
                if (CpuSide)
                {
                    events.Add(Event("cpu_op", "op:" + names[i], 100, "100", cpu - 0.5, 1.8, $"\"External id\": {ext}"));
                    events.Add(Event(LaunchCat, LaunchName(launchIdx++), 100, "100", cpu, 1.0, $"\"correlation\": {corr}, \"External id\": {ext}"));
                }
                var extArg = KernelExternalId ? $", \"External id\": {ext}" : "";
                events.Add(Event("kernel", names[i], GpuPid, KernelTid, gpu + KernelShiftUs(k++), 8.0,
                    $"\"device\": 0, {StreamArgs}, \"correlation\": {corr}{extArg}"));
                // A collective overlapping the o-proj GEMM of each layer (index 5 of the layer), or the first layer's of a pass.
                var layerPos = i - 1;
                var isOproj = layerPos >= 0 && layerPos < 36 && layerPos % 9 == 4;
                var comms = isOproj ? CommPerLayer + (layerPos == 4 ? CommPerPass : 0) : 0;
                for (var c = 0; c < comms; c++)
                {
                    corr++;
                    var cext = ZeroExternalIds ? 0 : corr + ExternalIdOffset;
                    if (CpuSide)
                    {
                        events.Add(Event("cpu_op", "op:" + CommKernel, 100, "100", cpu + 0.3 + 0.1 * c, 0.1, $"\"External id\": {cext}"));
                        events.Add(Event(LaunchCat, CommLaunchName, 100, "100", cpu + 0.4 + 0.1 * c, 0.05, $"\"correlation\": {corr}, \"External id\": {cext}"));
                    }
                    var ids = CommCorrelationZero ? "\"correlation\": 0, \"External id\": 0" : $"\"correlation\": {corr}" + (KernelExternalId ? $", \"External id\": {cext}" : "");
                    events.Add(Event("kernel", CommKernel, GpuPid, CommTid, gpu + 1 + 3 * c + KernelShiftUs(k - 1), 3.0,
                        $"\"device\": 0, {CommStreamArgs}, {ids}"));
                }
                cpu += 2.0;
                gpu += 10.0;
            }
            if (CpuSide && StepName(p) is { } step)
                events.Add(Event("user_annotation", step, 100, "100", cpuStart - 2, cpu - cpuStart + 5, ""));
            if (GpuUserAnnotations)
            {
                var passStart = OriginUs + PassSpacingUs * p + 900;
                events.Add(Event("gpu_user_annotation", StepName(p) ?? $"step {p}", GpuPid, "7", passStart, 10.0 * names.Count - 2, "\"device\": 0, \"stream\": 7"));
                for (var l = 0; l < 4; l++)
                    events.Add(Event("gpu_user_annotation", $"model.layers.{l}", GpuPid, "7", passStart + 10 + 90 * l, 88.0, "\"device\": 0"));
            }
        }
        var dist = Rank is int r ? $"\"distributedInfo\": {{\"backend\": \"nccl\", \"rank\": {r}, \"world_size\": 2}}, " : "";
        return "{" + Header + "\"schemaVersion\": 1, " + dist + "\"deviceProperties\": [{\"id\": 0, \"name\": \"" + GpuName + "\"}], \"traceEvents\": [\n"
               + string.Join(",\n", events) + "\n]" + Trailer + "}";
    }

    /// <summary>The trace as UTF-8 bytes.</summary>
    public byte[] Bytes() => Encoding.UTF8.GetBytes(Json());

    private static string Event(string cat, string name, int pid, string tid, double ts, double dur, string args) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"ph\": \"X\", \"cat\": \"{cat}\", \"name\": \"{name}\", \"pid\": {pid}, \"tid\": {tid}, \"ts\": {ts:0.000}, \"dur\": {dur:0.000}, \"args\": {{{args}}}}}");
}
