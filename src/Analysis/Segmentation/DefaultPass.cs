namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// The default pass of every per-pass report (docs/segmentation.md, section 8: the relative rule of the later
/// llm-pipeline-analysis scripts, docs/reference-analysis.md, 'Later versions'), from the notes of <see cref="PassNotes"/>.
/// </summary>
public static class DefaultPass
{
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
                return (passes[p].PassIdx, $"pass {passes[p].PassIdx} is the first complete pass whose next two passes are steady-state (each within 5 % of the one before)");
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
    /// Same as <see cref="Choose(IReadOnlyList{PassSummary})"/> but computes the notes first (<see cref="PassNotes.Compute"/>,
    /// from the passes' phases and walls and the layer-0 walls; the passes' own notes are not used).
    /// </summary>
    /// <param name="passes">Passes in order.</param>
    /// <param name="layer0WallUs">Per pass: layer-0 wall in µs, or null.</param>
    public static (int PassIdx, string Reason) Choose(IReadOnlyList<PassSummary> passes, IReadOnlyList<double?> layer0WallUs)
    {
        var notes = PassNotes.Compute(passes, layer0WallUs);
        return Choose(passes.Select((p, i) => p with { Note = notes[i] }).ToArray());
    }

    /// <summary>
    /// The default pass among the passes of one phase (issue 4): <paramref name="phase"/> when given, else the most
    /// common phase (ties: decode, then prefill, then mixed; passes of unknown phase only when no pass has one; idle
    /// steps only when asked for).
    /// Outlier passes (ramp-up, far from the median) are left out unless every pass of the phase is one. The notes are
    /// computed within the passes kept (<see cref="PassNotes.Compute"/>, each pass against the previous one kept; stored
    /// notes are not read, so a database written under an older rule gets today's choice), then
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
        var (chosen, reason) = Choose(subset, steady.Select(i => layer0WallUs[i]).ToArray());
        var scope = phase is null ? "" : requested
            ? $"among the {members.Count} {phase} pass(es)"
            : $"among the {members.Count} {phase} pass(es) (the most common phase)";
        if (dropped > 0) scope += (scope.Length > 0 ? ", " : "") + $"{dropped} outlier pass(es) left out";
        return (chosen, scope.Length == 0 ? reason : $"{scope}: {reason}");
    }

    private static readonly string[] PhaseOrder = ["decode", "prefill", "mixed"];
}
