namespace LlmPipeline.TraceGen;

/// <summary>Builds the kernel sequence of one forward pass from a spec (the same for every pass).</summary>
internal static class PassPlan
{
    public static List<PlannedKernel> Build(TraceSpec spec)
    {
        bool tp = spec.WorldSize > 1;
        int layers = spec.EffectiveNumLayers;
        var plan = new List<PlannedKernel>();
        void Add(IEnumerable<KernelTemplate> ks, int layer, TruthRole role, int truthLayer, int block)
        {
            foreach (var k in ks) plan.Add(new PlannedKernel(k, layer, role, truthLayer, block));
        }

        var shapePrologue = KernelCatalog.ShapePrologue(spec.Shape, tp, spec.CustomAllReduce);
        var shapeEpilogue = KernelCatalog.ShapeEpilogue(spec.Shape, tp);
        var prologue = spec.PrologueKernels ?? (spec.Stage is PipelineStage.Middle or PipelineStage.Last
            ? [KernelCatalog.PipelineTransfer(send: false)] : shapePrologue);
        var epilogue = spec.EpilogueKernels ?? (spec.Stage is PipelineStage.First or PipelineStage.Middle
            ? [KernelCatalog.PipelineTransfer(send: true)] : shapeEpilogue);
        Add(prologue, -1, TruthRole.Prologue, -1, -1);
        for (int l = 0; l < layers; l++) AddLayer(plan, Layer(spec, l, tp), l, TruthRole.Layer, l, block: 0);
        Add(epilogue, -1, TruthRole.Epilogue, -1, -1);
        var mtpTail = spec.EpilogueKernels ?? shapeEpilogue;
        for (int m = 0; m < spec.MtpLayers; m++)
        {
            Add(KernelCatalog.MtpHead(), -1, spec.MtpTruthRole, -1, m);
            Add(Layer(spec, layers, tp), layers, spec.MtpTruthRole, -1, m);
            Add(mtpTail, -1, spec.MtpTruthRole, -1, m);
        }
        return plan;
    }

    /// <summary>Adds one layer; DeepSeek-V4 layers get block 0 up to their first <c>mhc_post</c> (attention half), then 1.</summary>
    private static void AddLayer(List<PlannedKernel> plan, IReadOnlyList<KernelTemplate> ks, int layer, TruthRole role, int truthLayer, int block)
    {
        foreach (var k in ks)
        {
            plan.Add(new PlannedKernel(k, layer, role, truthLayer, block));
            if (k.Name == KernelNames.MhcPost) block++;
        }
    }

    /// <summary>Plan index of the first kernel of <paramref name="layer"/> (its input norm); the epilogue's start for layer = N.</summary>
    public static int LayerStartOffset(List<PlannedKernel> plan, int layer)
    {
        for (int i = 0; i < plan.Count; i++)
            if (plan[i].Role == TruthRole.Layer && plan[i].TruthLayer == layer) return i;
        for (int i = plan.Count - 1; i >= 0; i--)
            if (plan[i].Role == TruthRole.Layer) return layer == plan[i].TruthLayer + 1 ? i + 1 : throw new ArgumentOutOfRangeException(nameof(layer));
        throw new ArgumentOutOfRangeException(nameof(layer));
    }

    private static IReadOnlyList<KernelTemplate> Layer(TraceSpec spec, int layer, bool tp)
    {
        int model = spec.FirstModelLayer + layer;
        return spec.Shape switch
        {
            TraceShape.DeepSeekV3Decode => KernelCatalog.DeepSeekV3Layer(model >= spec.FirstKDenseReplace, tp, spec.CustomAllReduce),
            TraceShape.DeepSeekV4Decode => KernelCatalog.DeepSeekV4Layer(spec.CompressRatioOf(model), tp, spec.CustomAllReduce),
            TraceShape.DenseAddNorm => KernelCatalog.DenseAddNormLayer(model == 0, tp, spec.CustomAllReduce),
            TraceShape.GptOss => KernelCatalog.GptOssLayer(model % 2 == 0, model == 0, tp, spec.CustomAllReduce),
            TraceShape.EagerHf => KernelCatalog.EagerHfLayer(),
            _ => KernelCatalog.GenericLayer(tp, spec.CustomAllReduce),
        };
    }
}
