using LlmPipeline.Analysis.Categories;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// Anchor auto-detection (decisions.md §2): finds kernel names whose occurrences (every one, or every second one)
/// are regularly spaced in kernel counts, and ranks them.
/// </summary>
public static class AnchorDetector
{
    /// <summary>
    /// The anchor candidates of <paramref name="kernels"/>, best first (the first is the one segmentation picks).
    /// </summary>
    /// <param name="kernels">The kernels of one device.</param>
    /// <param name="categorizer">Used for the "attention before other groups" tie-break.</param>
    /// <param name="numLayers">Known layer count (config or <c>--num-layers</c>), or null.</param>
    public static IReadOnlyList<AnchorCandidate> FindCandidates(KernelSequence kernels, KernelCategorizer categorizer, int? numLayers)
        => [];
}
