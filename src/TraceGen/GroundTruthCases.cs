namespace LlmPipeline.TraceGen;

/// <summary>
/// One named synthetic case with known boundaries, for segmentation accuracy tests.
/// </summary>
/// <param name="Name">Stable snake_case name (file names, test names).</param>
/// <param name="Spec">The trace to generate; <see cref="TraceGenResult.Truth"/> holds every kernel's true place.</param>
/// <param name="Description">One sentence: the model, where its norms sit, the anchor and what is special.</param>
/// <param name="ModelNumLayers">What the model's config says (<c>num_hidden_layers</c>): differs from the layers per
/// pass on a pipeline-parallel rank.</param>
/// <param name="NextnPredictLayers">The config's <c>num_nextn_predict_layers</c> (0 when the model has none).</param>
/// <param name="Anchor">Substring of a once-per-layer kernel (the period), often in the middle of the layer.</param>
public sealed record GroundTruthCase(string Name, TraceSpec Spec, string Description, int ModelNumLayers, int NextnPredictLayers, string Anchor);

/// <summary>The synthetic cases of the layer-boundary ground truth (small pass counts: each is a few thousand kernels).</summary>
public static class GroundTruthCases
{
    /// <summary>DeepSeek-V3 decode, TP8, 61 layers (3 dense), one MTP block per step; anchor <c>flash_fwd_mla_combine</c> mid-layer.</summary>
    public static GroundTruthCase DeepSeekV3Mtp1 => new("dsv3_mtp1",
        new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 3, MtpLayers = 1, Seed = 11 },
        "DeepSeek-V3 decode (SGLang, TP8): each layer opens with fused_add_rmsnorm, the MLA combine anchor is its 13th kernel; one MTP block per step.",
        61, 1, "flash_fwd_mla_combine");

    /// <summary>DeepSeek-V3 decode with three draft blocks per step through the one MTP layer (more than the config's 1).</summary>
    public static GroundTruthCase DeepSeekV3Draft3 => new("dsv3_draft3",
        new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 3, MtpLayers = 3, MtpTruthRole = TruthRole.Draft, Seed = 12 },
        "DeepSeek-V3 decode with 3 speculative draft steps per step through its single MTP layer (num_nextn_predict_layers = 1): role draft, no extra pass, no renumbered layers.",
        61, 1, "flash_fwd_mla_combine");

    /// <summary>DeepSeek-V4 decode, 43 layers, two <c>mhc_post</c> anchors per layer (attention and FFN halves).</summary>
    public static GroundTruthCase DeepSeekV4Halves => new("dsv4_halves",
        new TraceSpec { Shape = TraceShape.DeepSeekV4Decode, Passes = 3, Seed = 13 },
        "DeepSeek-V4 decode: each layer opens with mhc_pre and has an attention half and an FFN half, each closed by mhc_post_tilelang_kernel (block 0 / 1).",
        43, 1, "mhc_post_tilelang");

    /// <summary>Qwen3-8B-like dense decoder (vLLM), 36 layers, TP1.</summary>
    public static GroundTruthCase DenseAddNorm => new("dense_add_norm",
        new TraceSpec { Shape = TraceShape.DenseAddNorm, Passes = 3, WorldSize = 1, Seed = 14 },
        "Dense Qwen3-like decode: layer 0 opens with rms_norm, layers 1.. with fused_add_rms_norm; q/k-norm rms_norms inside attention; the final fused_add_rms_norm is in the epilogue.",
        36, 0, "rotary_embedding_kernel");

    /// <summary>gpt-oss-like MoE decoder (vLLM), 36 layers, TP8, sliding/full attention alternating.</summary>
    public static GroundTruthCase GptOss => new("gpt_oss",
        new TraceSpec { Shape = TraceShape.GptOss, Passes = 3, WorldSize = 8, Seed = 15, GpuName = "NVIDIA B200" },
        "gpt-oss-like decode (vLLM, TP8): sliding attention on even layers, full on odd, MoE in every layer; the rotary anchor is the 3rd kernel of a layer.",
        36, 0, "rotary_embedding_kernel");

    /// <summary>HF transformers eager Qwen1.5-like model, 24 layers of 42 kernels, 8-kernel RMSNorms.</summary>
    public static GroundTruthCase EagerHf => new("eager_hf",
        new TraceSpec { Shape = TraceShape.EagerHf, Passes = 3, WorldSize = 1, Seed = 16, GpuName = "NVIDIA H100 80GB HBM3", KernelGapUs = 4 },
        "Eager HF decoder: each layer opens with the float cast copy of its 8-kernel RMSNorm; residual adds close the attention and the MLP; flash_fwd_kernel is the 25th kernel.",
        24, 0, "flash_fwd_kernel");

    /// <summary>The eager model with a window that opens 10 layers before the end of a pass (like the HF H100 trace) and closes inside layer 5.</summary>
    public static GroundTruthCase EagerHfPartial
    {
        get
        {
            var spec = EagerHf.Spec with { Passes = 3, Seed = 17 };
            return new("eager_hf_partial", spec with
            {
                TrimFirstPassKernels = TraceWriter.LayerStartOffset(spec, 14),
                KeepLastPassKernels = TraceWriter.LayerStartOffset(spec, 5) + 20,
            },
            "Eager HF decoder, window cut: pass 0 holds layers 14..23 and the epilogue; the last pass has the prologue, layers 0..4 and the first 20 kernels of layer 5.",
            24, 0, "flash_fwd_kernel");
        }
    }

    /// <summary>The dense model with the first pass cut inside a layer and the last pass cut inside its layers.</summary>
    public static GroundTruthCase DensePartial
    {
        get
        {
            var spec = DenseAddNorm.Spec with { Passes = 4, Seed = 18 };
            return new("dense_partial", spec with
            {
                TrimFirstPassKernels = TraceWriter.LayerStartOffset(spec, 26) - 5,
                KeepLastPassKernels = TraceWriter.LayerStartOffset(spec, 12),
            },
            "Dense decode, window cut: pass 0 starts 5 kernels before layer 26 (the tail of layer 25), the last pass ends after layer 11.",
            36, 0, "rotary_embedding_kernel");
        }
    }

    /// <summary>The dense model with steps back to back: the gap between passes is an ordinary kernel gap.</summary>
    public static GroundTruthCase DenseBackToBack => new("dense_back_to_back",
        DenseAddNorm.Spec with { Passes = 4, IdleGapBetweenPassesUs = 2.0, Seed = 19 },
        "Dense decode with no idle gap between steps (2 µs, like any kernel gap): each pass keeps its own final norm, lm_head and argmax.",
        36, 0, "rotary_embedding_kernel");

    /// <summary>DeepSeek-V3 steps back to back with their MTP block.</summary>
    public static GroundTruthCase DeepSeekV3BackToBack => new("dsv3_back_to_back",
        DeepSeekV3Mtp1.Spec with { Passes = 4, IdleGapBetweenPassesUs = 2.0, Seed = 20 },
        "DeepSeek-V3 decode with MTP and no idle gap between steps.",
        61, 1, "flash_fwd_mla_combine");

    /// <summary>Pipeline-parallel last stage of DeepSeek-V3: 30 of 61 layers, no embedding.</summary>
    public static GroundTruthCase PipelineLastStage => new("pp_last_stage",
        new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 3, NumLayers = 30, FirstModelLayer = 31, Stage = PipelineStage.Last, Seed = 21 },
        "DeepSeek-V3 PP rank 1 of 2: model layers 31..60 (all MoE), numbered 0..29; prologue is a SendRecv receive (no embedding), epilogue final norm, lm_head, AllGather, argmax.",
        61, 0, "flash_fwd_mla_combine");

    /// <summary>Pipeline-parallel first stage of DeepSeek-V3: 31 of 61 layers, no lm_head.</summary>
    public static GroundTruthCase PipelineFirstStage => new("pp_first_stage",
        new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 3, NumLayers = 31, Stage = PipelineStage.First, Seed = 22 },
        "DeepSeek-V3 PP rank 0 of 2: model layers 0..30 (3 dense); prologue embedding + AllReduce, epilogue only the SendRecv send (no lm_head, no sampling).",
        61, 0, "flash_fwd_mla_combine");

    /// <summary>Pipeline-parallel middle stage of the dense model: 2 steps with neither embedding nor lm_head.</summary>
    public static GroundTruthCase PipelineMiddleStage => new("pp_middle_stage",
        DenseAddNorm.Spec with { Passes = 2, NumLayers = 13, FirstModelLayer = 12, Stage = PipelineStage.Middle, Seed = 23 },
        "Dense model PP middle stage: model layers 12..24 numbered 0..12, a receive opens and a send closes each of the 2 steps; no embedding, no lm_head.",
        36, 0, "rotary_embedding_kernel");

    /// <summary>One pass of one layer.</summary>
    public static GroundTruthCase OneLayer => new("one_layer",
        DenseAddNorm.Spec with { Passes = 1, NumLayers = 1, Seed = 24 },
        "Dense model with one layer and one pass (one anchor).",
        1, 0, "rotary_embedding_kernel");

    /// <summary>Every case above, in a stable order.</summary>
    public static IReadOnlyList<GroundTruthCase> All =>
    [
        DeepSeekV3Mtp1, DeepSeekV3Draft3, DeepSeekV4Halves, DenseAddNorm, GptOss, EagerHf, EagerHfPartial, DensePartial,
        DenseBackToBack, DeepSeekV3BackToBack, PipelineLastStage, PipelineFirstStage, PipelineMiddleStage, OneLayer,
    ];
}
