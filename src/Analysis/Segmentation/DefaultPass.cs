namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// Pass notes and the default pass of every per-pass report (docs/segmentation.md, section 8: the relative rule of the
/// later llm-pipeline-analysis scripts, docs/reference-analysis.md, 'Later versions').
/// </summary>
public static class DefaultPass
{
    /// <summary>Relative change of the layer-0 wall up to which a pass is <c>steady-state</c>.</summary>
    public const double SteadyTolerance = 0.05;

    /// <summary>Growth of the layer-0 wall above which a pass is <c>growing &lt;g&gt;x</c>.</summary>
    public const double GrowingThreshold = 1.5;

    /// <summary>
    /// The note of each pass from the layer-0 walls (µs; null when a pass has no layer 0): the first complete pass
    /// is <c>cold-start</c>; a later complete pass is <c>steady-state</c> when its layer-0 wall differs by at most
    /// 5 % from the previous pass's, <c>growing &lt;g&gt;x</c> (one decimal) when it grew more than 1.5×, else null.
    /// Partial passes get no note.
    /// </summary>
    /// <param name="isPartial">Per pass: whether it is partial.</param>
    /// <param name="layer0WallUs">Per pass: layer-0 wall in µs, or null.</param>
    public static string?[] Notes(IReadOnlyList<bool> isPartial, IReadOnlyList<double?> layer0WallUs)
    {
        var notes = new string?[isPartial.Count];
        var firstComplete = true;
        for (var p = 0; p < notes.Length; p++)
        {
            if (isPartial[p]) continue;
            if (firstComplete)
            {
                notes[p] = "cold-start";
                firstComplete = false;
                continue;
            }
            if (p == 0 || layer0WallUs[p] is not { } cur || layer0WallUs[p - 1] is not { } prev || prev <= 0) continue;
            var growth = cur / prev;
            if (Math.Abs(cur - prev) <= SteadyTolerance * prev) notes[p] = "steady-state";
            else if (growth > GrowingThreshold)
                notes[p] = "growing " + growth.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "x";
        }
        return notes;
    }

    /// <summary>
    /// The default pass: the first complete pass p whose next two passes are both <c>steady-state</c>; with no such
    /// window, the last complete pass; with no complete pass, the last pass; -1 when there are no passes.
    /// The reason is one sentence for the report header.
    /// </summary>
    /// <param name="passes">Passes in order (their <see cref="PassSummary.Note"/> and <see cref="PassSummary.IsPartial"/> are used).</param>
    public static (int PassIdx, string Reason) Choose(IReadOnlyList<PassSummary> passes)
    {
        ArgumentNullException.ThrowIfNull(passes);
        if (passes.Count == 0) return (-1, "the run has no forward passes");
        // Idle padding steps (phase idle) are never the default pass, unless every pass is one.
        if (passes.Any(p => !Phases.PhaseNames.IsWork(p.Phase)) && passes.Any(p => Phases.PhaseNames.IsWork(p.Phase)))
            passes = passes.Where(p => Phases.PhaseNames.IsWork(p.Phase)).ToList();
        for (var p = 0; p + 2 < passes.Count; p++)
        {
            if (passes[p].IsPartial) continue;
            if (passes[p + 1].Note == "steady-state" && passes[p + 2].Note == "steady-state" &&
                !passes[p + 1].IsPartial && !passes[p + 2].IsPartial)
                return (passes[p].PassIdx, $"pass {passes[p].PassIdx} is the first complete pass whose next two passes are steady-state (layer-0 wall within 5 %)");
        }
        for (var p = passes.Count - 1; p >= 0; p--)
        {
            if (!passes[p].IsPartial)
                return (passes[p].PassIdx, $"no complete pass is followed by two steady-state passes, so the last complete pass ({passes[p].PassIdx}) is used");
        }
        var last = passes[^1].PassIdx;
        return (last, $"every pass is partial, so the last pass ({last}) is used");
    }

    /// <summary>
    /// Same as <see cref="Choose(IReadOnlyList{PassSummary})"/> but computes the notes from the layer-0 walls first
    /// (for reports rebuilt from stored totals).
    /// </summary>
    public static (int PassIdx, string Reason) Choose(IReadOnlyList<PassSummary> passes, IReadOnlyList<double?> layer0WallUs)
    {
        var notes = Notes(passes.Select(p => p.IsPartial).ToArray(), layer0WallUs);
        return Choose(passes.Select((p, i) => p with { Note = notes[i] }).ToArray());
    }

    /// <summary>
    /// The default pass among the passes of one phase (issue 4): <paramref name="phase"/> when given, else the most
    /// common phase (ties: decode, then prefill, then mixed; passes of unknown phase only when no pass has one; idle
    /// steps only when asked for).
    /// Outlier passes (ramp-up, far from the median) are left out unless every pass of the phase is one. When passes
    /// are left out, notes are recomputed within the rest (each pass against the previous one kept), then
    /// <see cref="Choose(IReadOnlyList{PassSummary})"/> applies. Returns -1 when no pass has the requested phase.
    /// </summary>
    /// <param name="passes">Passes in order (their <see cref="PassSummary.Phase"/> is used).</param>
    /// <param name="layer0WallUs">Per pass: layer-0 wall in µs, or null.</param>
    /// <param name="isOutlier">Per pass: <c>passes.is_outlier</c>.</param>
    /// <param name="phase">The phase asked for, or null for the most common one.</param>
    public static (int PassIdx, string Reason) ChooseInPhase(IReadOnlyList<PassSummary> passes, IReadOnlyList<double?> layer0WallUs,
        IReadOnlyList<bool> isOutlier, string? phase)
    {
        ArgumentNullException.ThrowIfNull(passes);
        ArgumentNullException.ThrowIfNull(layer0WallUs);
        ArgumentNullException.ThrowIfNull(isOutlier);
        if (passes.Count == 0) return (-1, "the run has no forward passes");
        var requested = phase is not null;
        if (phase is null)
        {
            var counts = passes.Where(p => p.Phase is not null && Phases.PhaseNames.IsWork(p.Phase)).GroupBy(p => p.Phase!).ToDictionary(g => g.Key, g => g.Count());
            phase = counts.Count == 0 ? null
                : counts.OrderByDescending(kv => kv.Value).ThenBy(kv => Array.IndexOf(PhaseOrder, kv.Key) is var o && o < 0 ? 99 : o).First().Key;
        }
        var members = Enumerable.Range(0, passes.Count).Where(i => phase is null ? Phases.PhaseNames.IsWork(passes[i].Phase) : passes[i].Phase == phase).ToList();
        if (members.Count == 0 && phase is null) members = Enumerable.Range(0, passes.Count).ToList(); // only idle steps
        if (members.Count == 0) return (-1, $"no pass has phase {phase}");
        var steady = members.Where(i => !isOutlier[i]).ToList();
        var dropped = members.Count - steady.Count;
        if (steady.Count == 0) { steady = members; dropped = 0; }
        var subset = steady.Select(i => passes[i]).ToArray();
        // Every pass kept: the stored notes apply as they are; otherwise they are recomputed within the subset.
        var (chosen, reason) = subset.Length == passes.Count ? Choose(subset) : Choose(subset, steady.Select(i => layer0WallUs[i]).ToArray());
        var scope = phase is null ? "" : requested
            ? $"among the {members.Count} {phase} pass(es)"
            : $"among the {members.Count} {phase} pass(es) (the most common phase)";
        if (dropped > 0) scope += (scope.Length > 0 ? ", " : "") + $"{dropped} outlier pass(es) left out";
        return (chosen, scope.Length == 0 ? reason : $"{scope}: {reason}");
    }

    private static readonly string[] PhaseOrder = ["decode", "prefill", "mixed"];
}
