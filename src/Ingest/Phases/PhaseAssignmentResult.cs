namespace LlmPipeline.Ingest.Phases;

/// <summary>What <see cref="PhaseAssignment.Apply"/> found for one run.</summary>
/// <param name="ByAnnotation">Passes whose phase came from a step annotation.</param>
/// <param name="ByKernels">Passes whose phase came from attention-kernel signatures.</param>
/// <param name="Unknown">Passes of unknown phase.</param>
/// <param name="Outliers">Passes flagged as ramp-up or outlier.</param>
/// <param name="ByGemm">Passes whose phase came from GEMM size (<see cref="LlmPipeline.Analysis.Phases.GemmPhaseRule"/>), the last fallback.</param>
public sealed record PhaseAssignmentResult(int ByAnnotation, int ByKernels, int Unknown, int Outliers, int ByGemm = 0)
{
    /// <summary>One line for the command output: how run <paramref name="runId"/>'s passes got their phases with a <c>--step-markers</c> file.</summary>
    public string Describe(long runId, string stepMarkersFile) =>
        $"run {runId}: phases with step markers from {stepMarkersFile}: {ByAnnotation} pass(es) by annotation, " +
        $"{ByKernels} by attention kernels, {ByGemm} by GEMM size, {Unknown} unknown; {Outliers} outlier(s)";
}
