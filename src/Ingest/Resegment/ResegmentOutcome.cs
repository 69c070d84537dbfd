using LlmPipeline.Ingest.Phases;
namespace LlmPipeline.Ingest.Resegment;

/// <summary>What <see cref="RunResegmenter.Run"/> changed in one run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Profile">Profile now stored with the run.</param>
/// <param name="KernelCount">Kernels re-labelled (rows, times and count unchanged).</param>
/// <param name="CategoriesChanged">Kernels whose category key changed.</param>
/// <param name="PassesBefore">Pass rows before (all devices).</param>
/// <param name="PassesAfter">Pass rows after.</param>
/// <param name="LayersBefore">Layer rows before (all devices).</param>
/// <param name="LayersAfter">Layer rows after.</param>
/// <param name="Summary">One paragraph for the user: anchor, layer count and where it came from, the counts above.</param>
/// <param name="Warnings">Segmentation warnings of the new segmentation, one line each.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Phases">How the new passes got their phases.</param>
public sealed record ResegmentOutcome(
    long RunId,
    string Profile,
    long KernelCount,
    long CategoriesChanged,
    long PassesBefore,
    long PassesAfter,
    long LayersBefore,
    long LayersAfter,
    string Summary,
    IReadOnlyList<string> Warnings,
    TimeSpan Elapsed,
    PhaseAssignmentResult Phases);
