using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Profiles;

namespace LlmPipeline.Analysis.Segmentation;

internal static class SegmentationEngine
{
    public static SegmentationResult Run(KernelSequence k, ModelProfile profile, KernelCategorizer categorizer,
        SegmentationOptions options, ModelConfig? config)
    {
        var n = k.Count;
        var pass = new int[n]; Array.Fill(pass, -1);
        var layer = new int[n]; Array.Fill(layer, -1);
        var block = new int[n]; Array.Fill(block, -1);
        var half = new sbyte[n]; Array.Fill(half, (sbyte)-1);
        return new SegmentationResult
        {
            PassIdx = pass, LayerIdx = layer, BlockIdx = block, HalfIdx = half, Role = new KernelRole[n],
            Passes = [], Layers = [], Anchor = new AnchorChoice(null, AnchorRole.Opens, profile.BlocksPerLayer, "not implemented yet"),
            NumLayers = 0, NumLayersSource = "none", Candidates = [],
            Warnings = [new SegmentationWarning("no_anchor", "segmentation not implemented yet")],
        };
    }
}
