namespace LlmPipeline.TraceGen;

/// <summary>Builds the kernel sequence of one forward pass from a spec (the same for every pass).</summary>
internal static class PassPlan
{
    public static List<PlannedKernel> Build(TraceSpec spec)
    {
        bool tp = spec.WorldSize > 1;
        int layers = spec.EffectiveNumLayers;
        var plan = new List<PlannedKernel>();
        void Add(IEnumerable<KernelTemplate> ks, int layer) { foreach (var k in ks) plan.Add(new PlannedKernel(k, layer)); }

        var prologue = spec.PrologueKernels ?? KernelCatalog.DefaultPrologue(tp, spec.CustomAllReduce);
        var epilogue = spec.EpilogueKernels ?? KernelCatalog.DefaultEpilogue(tp);
        Add(prologue, -1);
        for (int l = 0; l < layers; l++) Add(Layer(spec, l, tp), l);
        Add(epilogue, -1);
        if (spec.MtpLayers == 1)
        {
            Add(KernelCatalog.MtpHead(), -1);
            Add(Layer(spec, layers, tp), layers);
            Add(epilogue, -1);
        }
        return plan;
    }

    private static IReadOnlyList<KernelTemplate> Layer(TraceSpec spec, int layer, bool tp) => spec.Shape switch
    {
        TraceShape.DeepSeekV3Decode => KernelCatalog.DeepSeekV3Layer(layer >= spec.FirstKDenseReplace, tp, spec.CustomAllReduce),
        TraceShape.DeepSeekV4Decode => KernelCatalog.DeepSeekV4Layer(spec.CompressRatioOf(layer), tp, spec.CustomAllReduce),
        _ => KernelCatalog.GenericLayer(tp, spec.CustomAllReduce),
    };
}
