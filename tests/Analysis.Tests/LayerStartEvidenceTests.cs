using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Analysis.Tests.Support;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>
/// Layer starts from the weaker kinds of evidence, hand-built: a model with no normalization kernel, with and without
/// the profile's layer_start_kernel, and module scopes that override the template.
/// </summary>
public sealed class LayerStartEvidenceTests
{
    /// <summary>
    /// Two passes of 3 layers; each layer: layer_in, qkv_gemm, attention_kernel (the anchor), o_gemm, mlp_gemm. Each pass:
    /// embed, 3 layers, lm_head_gemm, argmax; 500 us idle between passes. No kernel is a normalization.
    /// </summary>
    private static KernelSequence NoNormModel()
    {
        var b = new SeqBuilder();
        for (var p = 0; p < 2; p++)
        {
            b.Then("embed_lookup", 3, p == 0 ? 0 : 500);
            for (var l = 0; l < 3; l++)
            {
                b.Then("layer_in_scale", 2).Then("qkv_gemm", 10).Then("attention_kernel", 20).Then("o_gemm", 8).Then("mlp_gemm", 15);
            }
            b.Then("lm_head_gemm", 12).Then("argmax_kernel", 2);
        }
        return b.Build();
    }

    private static SegmentationResult Segment(KernelSequence k, ModelProfile profile) =>
        Segmenter.Segment(k, profile, new KernelCategorizer(profile), new SegmentationOptions(AnchorKernel: "attention_kernel", NumLayers: 3), null);

    [Fact]
    public void Without_norm_kernels_the_template_starts_each_layer_where_the_first_layer_stops_repeating_the_prologue()
    {
        var r = Segment(NoNormModel(), ProfileCatalog.Get("generic"));
        Assert.Equal(LayerEvidence.Template, r.Evidence);
        // pass 0: embed (0) | layer 0 = kernels 1..5 | layer 1 = 6..10 | layer 2 = 11..15 | lm_head, argmax (16, 17)
        Assert.Equal([-1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, -1, -1], r.LayerIdx.Take(18));
        Assert.Equal(KernelRole.Prologue, r.Role[0]);
        Assert.Equal(KernelRole.Epilogue, r.Role[16]);
    }

    [Fact]
    public void The_profiles_layer_start_kernel_places_layer_starts_when_no_norm_does()
    {
        // The profile says layers start at qkv_gemm: layer_in_scale then ends the previous layer (or is the prologue),
        // and the last layer ends after mlp_gemm, where its sequence stops repeating the previous layer's.
        var profile = ProfileCatalog.Get("generic") with { Name = "custom", LayerStartKernel = "qkv_gemm" };
        var r = Segment(NoNormModel(), profile);
        Assert.Equal(LayerEvidence.ProfilePattern, r.Evidence);
        Assert.Equal([-1, -1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, -1, -1], r.LayerIdx.Take(18));
        Assert.Equal(KernelRole.Prologue, r.Role[1]);
    }

    [Fact]
    public void Module_scopes_set_the_boundaries_over_the_template()
    {
        var k = NoNormModel();
        // Modules say each layer is layer_in_scale .. mlp_gemm, as the template does, except that layer 1 of pass 0 also
        // owns the last kernel of layer 0 (mlp_gemm, kernel 5): the scopes win.
        var modules = new int[k.Count];
        Array.Fill(modules, -1);
        for (var p = 0; p < 2; p++)
            for (var l = 0; l < 3; l++)
                for (var j = 0; j < 5; j++) modules[p * 18 + 1 + l * 5 + j] = l;
        modules[5] = 1;
        var withModules = new KernelSequence(k.StartNs, k.DurNs, k.NameId, k.Names) { LayerModule = modules };
        var r = Segment(withModules, ProfileCatalog.Get("generic"));
        Assert.Equal(LayerEvidence.ModuleScopes, r.Evidence);
        Assert.Equal([-1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, -1, -1], r.LayerIdx.Take(18));
    }
}
