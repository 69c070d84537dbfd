using System.Globalization;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary>
/// <c>llmpipe runs N --details</c>: everything ingest found out about a run, one fact per line with its evidence
/// (the paragraph the short ingest summary leaves out): file, kernels and events, GPU, framework, model, profile,
/// anchor, layers, passes by phase, layer boundaries, graph replays, every note and every warning with its detail.
/// </summary>
public static class RunDetails
{
    /// <summary>The lines for <paramref name="run"/>.</summary>
    public static IReadOnlyList<string> For(RunFacts run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"run {run.RunId}: {run.SourcePath}",
            string.Create(ci, $"kernels: {run.KernelCount:N0} on {run.Devices} device(s) from {run.EventCount:N0} trace events ({(run.JsonBytes ?? 0) / 1e6:F1} MB of JSON)"),
            $"GPU: {(string.IsNullOrEmpty(run.GpuName) ? "not named by the trace" : run.GpuName)}",
            $"framework: {run.Framework ?? "unknown"}{Why(run.FrameworkSource)}",
            $"model: {run.Model ?? "unknown"}{Why(run.ModelSource)}",
            $"profile: {run.Profile}{Why(run.ProfileReason)}",
            run.AnchorKernel is null
                ? $"anchor: none found{(run.AnchorReason is { } r ? ": " + r : "")}"
                : string.Create(ci, $"anchor: '{run.AnchorKernel}' ({run.AnchorRole}, {run.BlocksPerLayer} block(s)/layer): {run.AnchorReason}"),
            $"layers: {(run.NumLayers is long n ? n.ToString(ci) : "none")}{Why(run.NumLayersSource)}",
            $"passes: {run.PassesAndLayers()}",
            $"layer boundaries: {run.LayerEvidence ?? "none"}{(run.LayerEvidenceDetail is { } d ? ": " + d : "")}",
        };
        if (run.ReplayKernels is long replayed)
            lines.Add(run.ReplayAttribution() ?? string.Create(ci, $"graph replays: {replayed} kernels of {run.GraphLaunchApi ?? "graph"} replays, none attributed"));
        foreach (var note in run.Notes) lines.Add(string.Create(ci, $"note: {note.Kind} x{note.Count}: {note.Detail}"));
        lines.Add(run.Warnings.Count == 0 ? "warnings: none" : string.Create(ci, $"warnings: {run.Warnings.Count} (llmpipe warnings --run {run.RunId} gives what to do)"));
        foreach (var warning in run.Warnings) lines.Add(string.Create(ci, $"warning: {warning.Kind} x{warning.Count}: {warning.Detail}"));
        return lines;
    }

    private static string Why(string? source) => source is null ? "" : $" ({source})";
}
