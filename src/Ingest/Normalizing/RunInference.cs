namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// Infers the serving framework from what the trace itself says (kernel and annotation names), and says on what
/// evidence, so that the inference is shown and never silently wrong. Sources: SGLang writes
/// <c>step[DECODE bs=32]</c> annotations, vLLM <c>execute_context_N(...)_generation_M(...)</c> and
/// <c>vllm::</c> kernels (docs/messy-traces.md, B30); RTP-LLM and FasterTransformer ship <c>fastertransformer::</c>
/// kernels; TensorRT-LLM <c>tensorrt_llm::</c> kernels.
/// </summary>
public static class RunInference
{
    /// <summary>Returns (framework, evidence), or (null, null) when nothing tells.</summary>
    /// <param name="kernelNames">Distinct kernel names of the run.</param>
    /// <param name="annotationNames">Distinct annotation names (a sample is enough).</param>
    public static (string? Framework, string? Evidence) Framework(IEnumerable<string> kernelNames, IEnumerable<string> annotationNames)
    {
        // SGLang's step markers first: SGLang also runs vLLM kernels and can carry vLLM-style markers inside its steps.
        var annotations = annotationNames as IReadOnlyCollection<string> ?? annotationNames.ToList();
        var sglang = annotations.FirstOrDefault(a => a.StartsWith("step[", StringComparison.Ordinal));
        if (sglang is not null) return ("sglang", $"annotation '{Short(sglang)}'");
        var vllm = annotations.FirstOrDefault(a => a.StartsWith("execute_", StringComparison.Ordinal) && a.Contains("_generation_", StringComparison.Ordinal));
        if (vllm is not null) return ("vllm", $"annotation '{Short(vllm)}'");
        var names = kernelNames as IReadOnlyCollection<string> ?? kernelNames.ToList();
        (string Needle, string Framework)[] rules =
        [
            ("vllm::", "vllm"),
            ("sgl_kernel", "sglang"),
            ("sglang", "sglang"),
            ("tensorrt_llm::", "tensorrt-llm"),
            ("fastertransformer::", "rtp-llm"),
        ];
        foreach (var (needle, framework) in rules)
        {
            var hit = names.FirstOrDefault(n => n.Contains(needle, StringComparison.OrdinalIgnoreCase));
            if (hit is not null) return (framework, $"kernel '{Short(hit)}'");
        }
        return (null, null);
    }

    private static string Short(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
