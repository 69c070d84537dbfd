using System.Globalization;
using LlmPipeline.Query.Commands.Runs;

namespace LlmPipeline.Query.Commands.Ingest;

/// <summary>
/// The short summary <c>llmpipe ingest</c> prints per stored run, each line at most <see cref="MaxWidth"/> characters
/// (on a clean trace 3 lines, one more per note, at most <see cref="MaxNotes"/> notes):
/// <code>
/// run 1: sglang_Qwen3-8B_decode.json.gz: 555 kernels on AMD Instinct MI300X (sglang, qwen3)
///   1 pass x 36 layers (decode 1); profile generic; anchor 'void paged_attention_ll4mi_QKV…' (opens); layer boundaries: module_scopes
///   note: graph replays: 544 of 544 kernels of hipGraphLaunch replays took op, shapes and modules from bs_32_rank0.json.gz, aligned by sequence
///   0.6 MB of JSON in 0.82 s (0.7 MB/s); details: llmpipe runs 1 --details; warnings: none
/// </code>
/// Notes are the run's findings of severity <c>info</c> and the graph-replay attribution: said here once, never
/// repeated by reports. Warnings (every other severity) are counted by kind, with the command that lists them and the kinds. The whole paragraph is
/// <c>llmpipe runs N --details</c> (<see cref="RunDetails"/>) or <c>ingest --verbose</c>.
/// </summary>
public static class IngestSummaryLines
{
    /// <summary>Widest line, in characters.</summary>
    public const int MaxWidth = 160;

    /// <summary>Notes printed in full; more are counted on one line with the command that lists them.</summary>
    public const int MaxNotes = 2;

    /// <summary>The lines for one run.</summary>
    /// <param name="run">The stored run.</param>
    /// <param name="elapsed">Wall time of the ingest of its file.</param>
    public static IReadOnlyList<string> For(RunFacts run, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ci = CultureInfo.InvariantCulture;
        var who = string.Join(", ", new[] { run.Framework, run.Model }.Where(s => !string.IsNullOrEmpty(s)));
        var gpu = string.IsNullOrEmpty(run.GpuName) ? "an unnamed GPU" : run.GpuName;
        var lines = new List<string>
        {
            string.Create(ci, $"run {run.RunId}: {run.FileName}: {run.KernelCount:N0} kernels on {gpu}{(who.Length > 0 ? $" ({who})" : "")}"),
        };
        var anchor = run.AnchorKernel is null ? "no anchor kernel" : $"anchor '{Shorten(run.AnchorKernel, 48)}' ({run.AnchorRole})";
        lines.Add($"  {run.PassesAndLayers()}; profile {run.Profile}; {anchor}; layer boundaries: {run.LayerEvidence ?? "none"}");
        var notes = run.Notes.Select(n => n.Detail ?? n.Kind).ToList();
        if (run.ReplayAttribution() is { } replays) notes.Insert(0, replays);
        foreach (var note in notes.Take(notes.Count > MaxNotes ? MaxNotes - 1 : MaxNotes)) lines.Add($"  note: {note}");
        if (notes.Count > MaxNotes)
            lines.Add(string.Create(ci, $"  note: {notes.Count - MaxNotes + 1} more notes: llmpipe warnings --run {run.RunId}"));
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        var mb = (run.JsonBytes ?? 0) / 1e6;
        var warnings = run.Warnings.Count == 0
            ? "warnings: none"
            : string.Create(ci, $"{run.Warnings.Count} warning{(run.Warnings.Count == 1 ? "" : "s")}: llmpipe warnings --run {run.RunId} ({string.Join(", ", run.Warnings.Select(w => w.Kind))})");
        lines.Add(string.Create(ci, $"  {mb:F1} MB of JSON in {elapsed.TotalSeconds:F2} s ({MbPerS(mb / seconds)} MB/s); details: llmpipe runs {run.RunId} --details; {warnings}"));
        return lines.Select(l => Shorten(l, MaxWidth)).ToList();
    }

    /// <summary><paramref name="text"/> cut to <paramref name="width"/> characters, the cut marked with <c>…</c>.</summary>
    public static string Shorten(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= width ? text : text[..(width - 1)] + "…";
    }

    /// <summary>A rate with one decimal below 10 MB/s (small traces), whole numbers above.</summary>
    private static string MbPerS(double mbps) => mbps.ToString(mbps < 10 ? "F1" : "F0", CultureInfo.InvariantCulture);
}
