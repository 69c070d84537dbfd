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

    /// <summary>
    /// Compiles the segmenter's code ahead of its first run: a command calls it on a spare thread while it opens the
    /// database and reads the kernels it will segment, instead of compiling on the critical path once they are read
    /// (at 1 GB, resegment's segmentation stage went from 0.30 to 0.22 s). Never throws: a method that cannot be
    /// compiled ahead is compiled on its first call as usual.
    /// </summary>
    public static void Prepare()
    {
        foreach (var type in new[] { typeof(SegmentationEngine), typeof(AnchorDetector), typeof(LayerCountDetector), typeof(LayerStarts),
                     typeof(RangeStats), typeof(PassParts), typeof(PassPlanner), typeof(IdleGaps), typeof(UpperMedian), typeof(PassNotes) })
        {
            foreach (var method in type.GetMethods(System.Reflection.BindingFlags.DeclaredOnly | System.Reflection.BindingFlags.Public
                         | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Instance))
            {
                if (method.IsAbstract || method.ContainsGenericParameters) continue;
                try
                {
                    System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(method.MethodHandle);
                }
                catch (Exception)
                {
                    // Compiled on first call instead.
                }
            }
        }
    }
}
