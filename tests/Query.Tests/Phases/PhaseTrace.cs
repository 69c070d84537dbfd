using System.Globalization;
using System.Text;

namespace LlmPipeline.Query.Tests.Phases;

/// <summary>
/// A hand-made trace of a 4-layer model (40 kernels per pass: embedding, 4 × 9 layer kernels, final norm, lm_head,
/// argmax), one pass per <see cref="Pass"/>, passes 1000 µs apart. Normal kernels last 8 µs, 10 µs apart, so a pass's
/// wall is 39 × 10 + 8 = 398 µs; a slow pass doubles both (39 × 20 + 16 = 796 µs). The GPU runs one step behind the CPU
/// (as the B30 step-marker trace of the ingest tests), so only the launch correlation ties kernels to their step annotation.
/// </summary>
public static class PhaseTrace
{
    /// <summary>Kernel names of the attention kernel that no attention signature classifies.</summary>
    public const string NeutralAttention = "kernel_unified_attention_2d";

    /// <summary>A prefill attention kernel (signature: prefill).</summary>
    public const string PrefillAttention = "flashinfer::BatchPrefillWithRaggedKVCacheKernel";

    /// <summary>A decode attention kernel (signature: decode).</summary>
    public const string DecodeAttention = "paged_attention_v2_kernel";

    /// <summary>One pass.</summary>
    /// <param name="Annotation">Name of its CPU step annotation (user_annotation), or null for none.</param>
    /// <param name="Attention">Attention kernel of even layers.</param>
    /// <param name="OddAttention">Attention kernel of odd layers (null: the same as even layers).</param>
    /// <param name="GemmM">Token count M in the Input Dims of each GEMM's launching cpu_op (aten::mm [[M,4096],[4096,4096]]); null: no cpu_ops.</param>
    /// <param name="Slow">Kernels twice as long and twice as far apart.</param>
    public sealed record Pass(string? Annotation, string Attention, string? OddAttention = null, long? GemmM = null, bool Slow = false);

    public static string Json(IReadOnlyList<Pass> passes)
    {
        var events = new List<string>();
        var corr = 1000;
        var external = 5000;
        for (var p = 0; p < passes.Count; p++)
        {
            var pass = passes[p];
            double cpu = 1000.0 * p + 10;
            double gpu = 1000.0 * p + 900;
            double step = pass.Slow ? 20.0 : 10.0, dur = pass.Slow ? 16.0 : 8.0;
            var names = new List<string> { "embedding_kernel" };
            for (var l = 0; l < 4; l++)
            {
                var attention = l % 2 == 1 && pass.OddAttention is not null ? pass.OddAttention : pass.Attention;
                names.AddRange(["rmsnorm_kernel", "nvjet_qkv_gemm", "rotary_embedding_kernel", attention, "nvjet_o_gemm",
                    "rmsnorm_kernel", "nvjet_gate_up_gemm", "silu_and_mul_kernel", "nvjet_down_gemm"]);
            }
            names.AddRange(["rmsnorm_kernel", "nvjet_lm_head_gemm", "argmax_kernel"]);
            var cpuStart = cpu;
            foreach (var name in names)
            {
                corr++;
                var ext = "";
                if (pass.GemmM is long m && name.EndsWith("_gemm", StringComparison.Ordinal))
                {
                    external++;
                    ext = $", \"External id\": {external}";
                    events.Add(Event("cpu_op", "aten::mm", 10, "10", cpu - 0.5, 0.4,
                        $"\"External id\": {external}, \"Input Dims\": [[{m}, 4096], [4096, 4096]]"));
                }
                events.Add(Event("cuda_runtime", "cudaLaunchKernel", 10, "10", cpu, 1.0, $"\"correlation\": {corr}{ext}"));
                events.Add(Event("kernel", name, 0, "7", gpu, dur, $"\"device\": 0, \"stream\": 7, \"correlation\": {corr}{ext}"));
                cpu += 2.0;
                gpu += step;
            }
            if (pass.Annotation is not null)
                events.Add(Event("user_annotation", pass.Annotation, 10, "10", cpuStart - 2, cpu - cpuStart + 5, ""));
        }
        return "{\"schemaVersion\": 1, \"deviceProperties\": [{\"id\": 0, \"name\": \"NVIDIA H200\"}], \"traceEvents\": [\n"
               + string.Join(",\n", events) + "\n]}";
    }

    private static string Event(string cat, string name, int pid, string tid, double ts, double dur, string args) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"ph\": \"X\", \"cat\": \"{cat}\", \"name\": \"{Escape(name)}\", \"pid\": {pid}, \"tid\": {tid}, \"ts\": {ts:0.000}, \"dur\": {dur:0.000}, \"args\": {{{args}}}}}");

    private static string Escape(string s)
    {
        var b = new StringBuilder();
        foreach (var ch in s) b.Append(ch is '"' or '\\' ? "\\" + ch : ch.ToString());
        return b.ToString();
    }
}
