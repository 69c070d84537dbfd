namespace LlmPipeline.Ingest.Pipeline;

/// <summary>What <see cref="PhaseAssignment.Apply"/> found for one run.</summary>
/// <param name="ByAnnotation">Passes whose phase came from a step annotation.</param>
/// <param name="ByKernels">Passes whose phase came from attention-kernel signatures.</param>
/// <param name="Unknown">Passes of unknown phase.</param>
/// <param name="Outliers">Passes flagged as ramp-up or outlier.</param>
/// <param name="ByGemm">Passes whose phase came from GEMM size (<see cref="LlmPipeline.Analysis.Phases.GemmPhaseRule"/>), the last fallback.</param>
public sealed record PhaseAssignmentResult(int ByAnnotation, int ByKernels, int Unknown, int Outliers, int ByGemm = 0);
