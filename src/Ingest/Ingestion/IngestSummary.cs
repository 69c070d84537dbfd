using System.Globalization;
using System.Text;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Storage;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>The one-paragraph summary <c>llmpipe ingest</c> prints per run: kernels, profile, anchor and why, layers, passes, warnings.</summary>
public static class IngestSummary
{
    /// <summary>Builds the paragraph.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="trace">The trace file.</param>
    /// <param name="run">Its <c>runs</c> row.</param>
    /// <param name="read">What reading the file gave.</param>
    /// <param name="setup">Config and profile, with their reasons.</param>
    /// <param name="devices">Each device's segmentation result, in device order.</param>
    /// <param name="warnings">The run's warnings.</param>
    /// <param name="elapsed">Wall time of the ingest.</param>
    public static string Paragraph(long runId, string trace, RunRecord run, TraceReadSummary read, RunSetup setup,
        IReadOnlyList<(int Device, SegmentationResult Result)> devices, WarningLog warnings, TimeSpan elapsed)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        sb.Append(ci, $"{Path.GetFileName(trace)}: {run.KernelCount:N0} kernels on {devices.Count} device(s) from {read.EventCount:N0} trace events ");
        sb.Append(ci, $"({read.JsonBytes / 1e6:F1} MB of JSON in {elapsed.TotalSeconds:F2} s, {MbPerS(read.JsonBytes / 1e6 / seconds)} MB/s). ");
        if (setup.ConfigNote is not null) sb.Append(ci, $"Config: {setup.ConfigNote}. ");
        sb.Append(ci, $"Profile {setup.Profile.Name} ({setup.ProfileReason}). ");
        if (run.Framework is not null) sb.Append(ci, $"Framework {run.Framework} ({run.FrameworkSource}). ");
        if (run.Model is not null) sb.Append(ci, $"Model {run.Model} ({run.ModelSource}). ");
        foreach (var d in devices)
        {
            var r = d.Result;
            var prefix = devices.Count > 1 ? $"Device {d.Device}: " : "";
            if (r.Anchor.Pattern is null)
            {
                sb.Append(ci, $"{prefix}no anchor kernel found, so no passes: {r.Anchor.Reason}. ");
                continue;
            }
            var partial = r.Passes.Count(p => p.IsPartial);
            sb.Append(ci, $"{prefix}anchor '{Short(r.Anchor.Pattern)}' ({r.Anchor.Role.ToString().ToLowerInvariant()}, {r.Anchor.BlocksPerLayer} block(s)/layer): {r.Anchor.Reason}. ");
            sb.Append(ci, $"{r.NumLayers} layers ({r.NumLayersSource}), {r.Passes.Count} pass(es)");
            sb.Append(partial > 0 ? $", {partial} partial. " : ". ");
            sb.Append(ci, $"Layer boundaries ({r.Evidence.ToSql()}): {r.EvidenceDetail}. ");
        }
        sb.Append(warnings.KindCount == 0
            ? "Warnings: none."
            : $"Warnings: {warnings.TotalCount} in {warnings.KindCount} kind(s) ({string.Join(", ", warnings.Entries.Select(e => $"{e.Key} x{e.Value.Count}"))}); llmpipe warnings --run {runId} lists them.");
        return sb.ToString();
    }

    private static string Short(string name) => name.Length <= 80 ? name : name[..77] + "...";

    /// <summary>A rate with one decimal below 10 MB/s (small traces), whole numbers above.</summary>
    private static string MbPerS(double mbps) =>
        mbps.ToString(mbps < 10 ? "F1" : "F0", System.Globalization.CultureInfo.InvariantCulture);
}
