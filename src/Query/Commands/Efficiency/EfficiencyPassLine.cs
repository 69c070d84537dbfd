using System.Globalization;

namespace LlmPipeline.Query.Commands.Efficiency;

/// <summary>
/// The line <c>llmpipe efficiency</c> writes on stderr about the pass as a whole (view <c>pass_efficiency</c>): its
/// phase, MFU and MBU with the achieved TFLOP/s against the peak they are measured on, or, where a figure cannot be
/// had, which input is missing and how to give it.
/// </summary>
public static class EfficiencyPassLine
{
    /// <summary>The line, e.g. <c>run 1 pass 0: decode, MFU 1.2 %, MBU 34.5 % (15.9 TFLOP/s of 1307.4 bf16)</c>.</summary>
    /// <param name="runId">Run id.</param>
    /// <param name="pass">0-based pass index.</param>
    /// <param name="phase">passes.phase, or null.</param>
    /// <param name="flops">The pass's FLOPs (null or 0: no kernel shapes and no config-derived work).</param>
    /// <param name="achievedTflops">flops / wall, TFLOP/s, or null.</param>
    /// <param name="peakDtype">dtype of the peak the MFU uses, or null.</param>
    /// <param name="peakTflops">The GPU's dense peak for that dtype, TFLOP/s, or null (unknown GPU).</param>
    /// <param name="mfuPct">MFU, %, or null.</param>
    /// <param name="mbuPct">MBU, %, or null.</param>
    /// <param name="gpuName">runs.gpu_name, or null.</param>
    public static string For(long runId, long pass, string? phase, double? flops, double? achievedTflops, string? peakDtype,
        double? peakTflops, double? mfuPct, double? mbuPct, string? gpuName)
    {
        var ci = CultureInfo.InvariantCulture;
        var head = string.Create(ci, $"run {runId} pass {pass}: {phase ?? "phase unknown"}, ");
        if (flops is null or <= 0)
            return head + "MFU and MBU unknown: no kernel of the pass has its op's input shapes and the run has no model " +
                   "config to derive its work from (ingest with --config config.json)";
        if (peakTflops is null)
            return head + string.Create(ci, $"{achievedTflops:0.0} TFLOP/s; MFU and MBU unknown: no datasheet peaks for GPU ") +
                   $"'{gpuName ?? ""}' (give them with ingest --gpu-specs FILE)";
        var mbu = mbuPct is double b ? string.Create(ci, $"{b:0.0} %") : "unknown";
        return head + string.Create(ci, $"MFU {mfuPct:0.0} %, MBU {mbu} ({achievedTflops:0.0} TFLOP/s of {peakTflops:0.#} {peakDtype})");
    }
}
