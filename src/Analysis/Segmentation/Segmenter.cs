using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Profiles;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// Segments one device's kernel sequence into forward passes, transformer layers and anchor blocks
/// (docs/segmentation.md; the anchor role: docs/profiles.md).
/// </summary>
public static class Segmenter
{
    /// <summary>
    /// Segments <paramref name="kernels"/>. Never throws for a trace without layer structure: it then returns no
    /// passes, every kernel role <see cref="KernelRole.None"/>, and a warning saying why.
    /// </summary>
    /// <param name="kernels">The kernels of one device, sorted by start.</param>
    /// <param name="profile">Anchor, anchor role, blocks per layer, half labels, default layer count.</param>
    /// <param name="categorizer">Categorizer of the run (the block-end matching and comm counts use categories).</param>
    /// <param name="options">User overrides (<c>--anchor-kernel</c>, anchor role, <c>--num-layers</c>).</param>
    /// <param name="config">The model config, or null.</param>
    public static SegmentationResult Segment(KernelSequence kernels, ModelProfile profile, KernelCategorizer categorizer,
        SegmentationOptions options, ModelConfig? config)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(categorizer);
        ArgumentNullException.ThrowIfNull(options);
        return SegmentationEngine.Run(kernels, profile, categorizer, options, config);
    }
}
