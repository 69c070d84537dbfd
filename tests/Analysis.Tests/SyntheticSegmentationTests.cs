using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Analysis.Tests.Support;
using LlmPipeline.Analysis.Warnings;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

public sealed class SyntheticSegmentationTests
{
    private static readonly string[] Layer = ["rms_norm_kernel", "nvjet_qkv", "flash_fwd_kernel", "nvjet_o", "silu_and_mul"];
    private static readonly double[] LayerDur = [10, 20, 30, 20, 10];

    private static SegmentationResult Segment(KernelSequence k, string profile, SegmentationOptions options, ModelConfig? config = null)
    {
        var p = ProfileCatalog.Get(profile);
        return Segmenter.Segment(k, p, new KernelCategorizer(p), options, config);
    }

    /// <summary>One pass: embedding, layers of 5 kernels 1 µs apart, lm_head, argmax; passes 1000 µs apart.</summary>
    private static void AddPass(SeqBuilder b, int layers, double gapBeforeUs, bool prologue = true, bool epilogue = true)
    {
        var first = true;
        if (prologue) { b.Then("embedding_kernel", 5, gapBeforeUs); first = false; }
        for (var l = 0; l < layers; l++)
            for (var i = 0; i < Layer.Length; i++)
            {
                b.Then(Layer[i], LayerDur[i], first ? gapBeforeUs : 1);
                first = false;
            }
        if (epilogue)
        {
            b.Then("lm_head_gemm", 15);
            b.Then("argmax_kernel", 5);
        }
    }

    [Fact]
    public void Segment_builds_three_complete_passes_with_hand_computed_totals()
    {
        var b = new SeqBuilder();
        for (var p = 0; p < 3; p++) AddPass(b, 4, p == 0 ? 0 : 1000);
        var r = Segment(b.Build(), "generic", new SegmentationOptions(AnchorKernel: "RMS_NORM", NumLayers: 4));

        Assert.Equal(3, r.Passes.Count);
        foreach (var p in r.Passes)
        {
            Assert.False(p.IsPartial);
            Assert.Equal(4, p.LayerCount);
            Assert.Equal(23, p.Totals.KernelCount);   // embedding + 4 x 5 + lm_head + argmax
            Assert.Equal(385.0, p.Totals.SumUs);      // 5 + 4 x 90 + 15 + 5
            Assert.Equal(407.0, p.Totals.WallUs);     // 385 + 22 gaps of 1 µs
            Assert.Equal(385.0, p.Totals.BusyUs);
            Assert.Equal(22.0, p.Totals.IdleUs);
        }
        // three equal passes: the first is no slower than the others, so no cold start
        Assert.Equal([null, "steady-state", "steady-state"], r.Passes.Select(p => p.Note));
        Assert.Equal(12, r.Layers.Count);
        Assert.All(r.Layers, l =>
        {
            Assert.Equal(94.0, l.Totals.WallUs);
            Assert.Equal(90.0, l.Totals.SumUs);
            Assert.Equal(4.0, l.Totals.IdleUs);
            Assert.Equal(5, l.Totals.KernelCount);
        });
        // roles of pass 1: kernel 23 = embedding (prologue), 24..43 layers, 44/45 epilogue
        Assert.Equal(KernelRole.Prologue, r.Role[23]);
        Assert.Equal(KernelRole.Layer, r.Role[24]);
        Assert.Equal(3, r.LayerIdx[43]);
        Assert.Equal(KernelRole.Epilogue, r.Role[44]);
        Assert.Equal(KernelRole.Epilogue, r.Role[45]);
        Assert.Equal(1, r.PassIdx[45]);
        Assert.Equal((0, "pass 0 is the first complete pass whose next two passes are steady-state (each within 5 % of the one before)"),
            DefaultPass.Choose(r.Passes));
        Assert.Equal(["FIRST", "MIDDLE", "MIDDLE", "FINAL"], r.Layers.Take(4).Select(l => l.LayerType));
    }

    [Fact]
    public void Segment_computes_busy_and_exposed_comm_with_two_overlapping_streams()
    {
        // per layer: norm 0-10, gemm 11-31, allreduce (other stream) 20-50, silu 40-45; next layer at +51
        var b = new SeqBuilder();
        b.At("embedding_kernel", 0, 5);
        double t = 10;
        for (var l = 0; l < 3; l++, t += 51)
        {
            b.At("rms_norm_kernel", t, 10).At("nvjet_gemm", t + 11, 20).At("cross_device_reduce_1stage", t + 20, 30).At("silu_and_mul", t + 40, 5);
        }
        b.At("argmax_kernel", t + 5, 5);
        var r = Segment(b.Build(), "generic", new SegmentationOptions(AnchorKernel: "rms_norm", NumLayers: 3));

        var pass = Assert.Single(r.Passes);
        Assert.Equal(3, pass.LayerCount);
        foreach (var l in r.Layers)
        {
            Assert.Equal(50.0, l.Totals.WallUs);
            Assert.Equal(65.0, l.Totals.SumUs);
            Assert.Equal(49.0, l.Totals.BusyUs);
            Assert.Equal(1.0, l.Totals.IdleUs);
            Assert.Equal(14.0, l.Totals.ExposedCommUs); // 31..40 and 45..50
            Assert.Equal(1, l.CommCount);
        }
        Assert.Equal(3 * 14.0, pass.Totals.ExposedCommUs);
    }

    [Fact]
    public void Segment_numbers_a_leading_partial_pass_with_true_layer_numbers()
    {
        var b = new SeqBuilder();
        AddPass(b, 2, 0, prologue: false);   // the trace starts in layer 2 of 4
        AddPass(b, 4, 1000);
        AddPass(b, 4, 1000);
        var r = Segment(b.Build(), "generic", new SegmentationOptions(AnchorKernel: "rms_norm", NumLayers: 4));

        Assert.Equal(3, r.Passes.Count);
        Assert.True(r.Passes[0].IsPartial);
        Assert.Equal([2, 3], r.Layers.Where(l => l.PassIdx == 0).Select(l => l.LayerIdx));
        Assert.False(r.Passes[1].IsPartial);
        Assert.Null(r.Passes[1].Note); // as fast as pass 2: no cold start
        Assert.Equal("steady-state", r.Passes[2].Note);
        Assert.Contains(r.Warnings, w => w.Kind == WarningCatalog.PartialPass);
        Assert.Equal(2, DefaultPass.Choose(r.Passes).PassIdx); // no window of two steady passes after pass 1: last complete
    }

    [Fact]
    public void Segment_without_layer_count_splits_a_window_at_its_one_step_boundary_and_takes_the_complete_pass()
    {
        // A window that opens inside a pass (its last 6 layers, then lm_head and argmax) and closes before the next
        // pass's sampling: each step kernel occurs once and there is one boundary, too little for the once-per-step
        // and idle-gap rules. The boundary interval holds 5 + 3 kernels against 5 per layer (1.6x); the idle gap before
        // the embedding places the pass boundary (as in real traces: sampling and Python between steps).
        var b = new SeqBuilder();
        AddPass(b, 6, 0, prologue: false);
        AddPass(b, 16, 200, epilogue: false); // 200 µs idle before the next step: one gap, too few for the idle-gap rule
        var r = Segment(b.Build(), "generic", new SegmentationOptions(AnchorKernel: "RMS_NORM"));

        Assert.Equal(16, r.NumLayers);
        Assert.Equal("detected: the 22 anchors form 2 regular runs (6, 16 anchors) split by an interval over 1.3x the median spacing (a step boundary); the longest run / 1 blocks per layer = 16 layers, the shorter ones partial passes", r.NumLayersSource);
        Assert.Equal(2, r.Passes.Count);
        Assert.True(r.Passes[0].IsPartial);
        Assert.Equal(6, r.Passes[0].LayerCount);
        Assert.Equal(Enumerable.Range(10, 6), r.Layers.Where(l => l.PassIdx == 0).Select(l => l.LayerIdx)); // the last 6 of 16
        Assert.False(r.Passes[1].IsPartial);
        Assert.Equal(16, r.Passes[1].LayerCount);
    }

    [Fact]
    public void Segment_without_layer_count_keeps_one_pass_when_one_layer_has_an_extra_kernel()
    {
        // One complete pass whose layer 7 launches one more kernel: its interval is 6 against 5 (1.2x), irregular but
        // no step boundary, so all 16 anchors stay one pass.
        var b = new SeqBuilder();
        b.Then("embedding_kernel", 5, 0);
        for (var l = 0; l < 16; l++)
        {
            for (var i = 0; i < Layer.Length; i++) b.Then(Layer[i], LayerDur[i], 1);
            if (l == 7) b.Then("copy_kernel", 2, 1);
        }
        b.Then("lm_head_gemm", 15).Then("argmax_kernel", 5);
        var r = Segment(b.Build(), "generic", new SegmentationOptions(AnchorKernel: "RMS_NORM"));

        Assert.Equal(16, r.NumLayers);
        Assert.Equal("detected: the 16 anchors form one regular run and no step boundary was found, so one pass of 16 layers", r.NumLayersSource);
        var pass = Assert.Single(r.Passes);
        Assert.False(pass.IsPartial);
        Assert.Equal(16, pass.LayerCount);
    }

    [Fact]
    public void Segment_finds_61_layers_by_5_passes_on_dsv3_shape_without_layer_count()
    {
        string[] dense = ["rmsnorm_kernel", "nvjet_qkv_a", "flash_fwd_splitkv_mla_kernel", "flash_fwd_mla_combine_kernel", "nvjet_o", "rmsnorm_kernel", "nvjet_mlp_up", "act_and_mul_kernel", "nvjet_mlp_down"];
        string[] moe = ["rmsnorm_kernel", "nvjet_qkv_a", "flash_fwd_splitkv_mla_kernel", "flash_fwd_mla_combine_kernel", "nvjet_o", "rmsnorm_kernel", "moe_fused_gate_kernel", "fused_moe_kernel", "fused_moe_kernel"];
        var b = new SeqBuilder();
        for (var p = 0; p < 5; p++)
        {
            b.Then("embedding_kernel", 5, p == 0 ? 0 : 500);
            for (var l = 0; l < 61; l++)
                foreach (var name in l < 3 ? dense : moe) b.Then(name, 10);
            b.Then("rmsnorm_kernel", 10).Then("nvjet_lm_head", 30).Then("topk_sampling_kernel", 5);
        }
        var k = b.Build();
        var r = Segment(k, "dsv3_mla", new SegmentationOptions());

        Assert.Equal("flash_fwd_mla_combine", r.Anchor.Pattern);
        Assert.Equal(61, r.NumLayers);
        Assert.StartsWith("detected", r.NumLayersSource);
        Assert.Equal(5, r.Passes.Count);
        Assert.All(r.Passes, p => { Assert.False(p.IsPartial); Assert.Equal(61, p.LayerCount); });
        // every pass keeps its embedding as prologue and its sampling kernel in the pass
        for (var i = 0; i < k.Count; i++)
        {
            if (k.Name(i) == "embedding_kernel") Assert.Equal(KernelRole.Prologue, r.Role[i]);
            if (k.Name(i) == "topk_sampling_kernel") Assert.Equal(KernelRole.Epilogue, r.Role[i]);
            Assert.NotEqual(-1, r.PassIdx[i]);
        }
    }

    [Fact]
    public void Segment_puts_mla_in_attn_half_and_moe_in_ffn_half_with_closing_mhc_post_on_dsv4()
    {
        string[] attn = ["mhc_pre_big_fuse_tilelang_kernel", "flash_fwd_splitkv_mla_fp8_sparse_kernel", "deep_gemm_fp8_gemm", "mhc_post_tilelang_kernel"];
        string[] ffn = ["mhc_pre_big_fuse_tilelang_kernel", "moe_fused_gate_kernel", "fused_moe_kernel", "mhc_post_tilelang_kernel"];
        var b = new SeqBuilder();
        for (var p = 0; p < 2; p++)
        {
            b.Then("embedding_kernel", 5, p == 0 ? 0 : 800);
            for (var l = 0; l < 43; l++)
            {
                foreach (var name in attn) b.Then(name, 10);
                foreach (var name in ffn) b.Then(name, 10);
            }
            b.Then("rms_norm_kernel", 10).Then("nvjet_lm_head", 30).Then("topk_sampling_kernel", 5);
        }
        var k = b.Build();
        var r = Segment(k, "dsv4_csa_hca", new SegmentationOptions(NumLayers: 43));

        Assert.Equal(AnchorRole.Closes, r.Anchor.Role);
        Assert.Equal(2, r.Passes.Count);
        Assert.All(r.Passes, p => Assert.Equal(43, p.LayerCount));
        for (var i = 0; i < k.Count; i++)
        {
            var name = k.Name(i);
            if (name.StartsWith("flash_fwd_splitkv_mla", StringComparison.Ordinal)) Assert.Equal("attn", r.HalfLabels[r.HalfIdx[i]]);
            if (name == "fused_moe_kernel") Assert.Equal("ffn", r.HalfLabels[r.HalfIdx[i]]);
            if (name == "embedding_kernel") Assert.Equal(KernelRole.Prologue, r.Role[i]);
            if (name == "nvjet_lm_head") Assert.Equal(KernelRole.Epilogue, r.Role[i]);
        }
        Assert.Equal(1 + 43 * 8 + 3, r.Passes[0].Totals.KernelCount);
        Assert.Equal(8, r.Layers[0].Totals.KernelCount); // the unmarked start of layer 0 reaches mhc_pre_big_fuse
    }

    [Fact]
    public void Segment_returns_no_passes_and_a_warning_for_a_trace_without_layer_structure()
    {
        var b = new SeqBuilder();
        b.Then("conv_a", 10).Then("bn_fw_kernel", 5).Then("relu_kernel", 2).Then("conv_b", 30).Then("maxpool", 4).Then("fc_gemm", 8);
        var r = Segment(b.Build(), "generic", new SegmentationOptions());

        Assert.Empty(r.Passes);
        Assert.All(r.Role, x => Assert.Equal(KernelRole.None, x));
        Assert.All(r.PassIdx, x => Assert.Equal(-1, x));
        Assert.Contains(r.Warnings, w => w.Kind == WarningCatalog.NoAnchor);
    }

    [Fact]
    public void Segment_returns_no_passes_when_the_given_anchor_never_occurs()
    {
        var b = new SeqBuilder();
        AddPass(b, 4, 0);
        var r = Segment(b.Build(), "generic", new SegmentationOptions(AnchorKernel: "mhc_post_tilelang", NumLayers: 4));
        Assert.Empty(r.Passes);
        Assert.Contains(r.Warnings, w => w.Kind == WarningCatalog.AnchorNotFound);
    }

    [Fact]
    public void Segment_auto_detects_a_once_per_layer_anchor_and_the_layer_count()
    {
        var b = new SeqBuilder();
        for (var p = 0; p < 3; p++) AddPass(b, 6, p == 0 ? 0 : 1000);
        var r = Segment(b.Build(), "generic", new SegmentationOptions());
        Assert.Equal(6, r.NumLayers);
        Assert.Equal(3, r.Passes.Count);
        Assert.Contains(r.Candidates, c => c.Chosen);
        Assert.Equal("flash_fwd_kernel", r.Anchor.Pattern); // equal coverage and regularity: attention wins
    }
}
