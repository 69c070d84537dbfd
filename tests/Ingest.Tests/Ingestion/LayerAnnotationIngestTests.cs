using System.Globalization;
using System.Text;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Segmenting;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>
/// Annotation ranges that name layers set layer boundaries where no module scope does: GPU-side ranges
/// (gpu_user_annotation) by kernel start, CPU-side ranges (user_annotation, record_function) by launch.
/// </summary>
public sealed class LayerAnnotationIngestTests
{
    /// <summary>
    /// Three passes of 4 layers. Each layer: qkv_gemm, attention_kernel, o_gemm, add_kernel, inside a range named
    /// <c>model.layers.N</c>; each pass opens with embed_lookup and closes with lm_head_gemm, argmax. The trace has no
    /// normalization kernel and no module scope: the ranges say where each layer starts and ends.
    /// </summary>
    private static string Trace(string cat, bool cpu, bool gemmOps = false)
    {
        var events = new List<string>();
        long t = 1000, corr = 1;
        void Kernel(string name, int durUs, string? layerRange = null)
        {
            var c = corr++;
            // With gemmOps, the GEMMs' launching aten::mm (16x64 @ 64x32 fp32: 2*16*64*32 = 65,536 FLOPs) by External id.
            var op = gemmOps && name.EndsWith("_gemm", StringComparison.Ordinal);
            if (op) events.Add($$$"""{"ph":"X","cat":"cpu_op","name":"aten::mm","pid":1,"tid":7,"ts":{{{t - 8}}},"dur":6,"args":{"External id":{{{c}}},"Input Dims":[[16,64],[64,32]],"Input type":["float","float"]}}""");
            if (cpu) events.Add($$$"""{"ph":"X","cat":"cuda_runtime","name":"cudaLaunchKernel","pid":1,"tid":7,"ts":{{{t - 5}}},"dur":2,"args":{"correlation":{{{c}}}}}""");
            events.Add($$$"""{"ph":"X","cat":"kernel","name":"{{{name}}}","pid":0,"tid":7,"ts":{{{t}}},"dur":{{{durUs}}},"args":{"device":0,"stream":7,"correlation":{{{c}}}{{{(op ? $",\"External id\":{c}" : "")}}}}}""");
            t += durUs + 1;
        }
        for (var p = 0; p < 3; p++)
        {
            Kernel("embed_lookup", 3);
            for (var l = 0; l < 4; l++)
            {
                var start = t;
                foreach (var (n, d) in new[] { ("qkv_gemm", 10), ("attention_kernel", 20), ("o_gemm", 8), ("add_kernel", 2) }) Kernel(n, d);
                // GPU ranges span the kernels; CPU ranges span their launches (5 us earlier).
                var from = cpu ? start - 5 : start;
                events.Add($$"""{"ph":"X","cat":"{{cat}}","name":"model.layers.{{l}}","pid":{{(cpu ? 1 : 0)}},"tid":7,"ts":{{from}},"dur":{{t - start - 1}}}""");
            }
            Kernel("lm_head_gemm", 12);
            Kernel("argmax_kernel", 2);
            t += 500;
        }
        return "{\"traceEvents\":[" + string.Join(",\n", events) + "]}";
    }

    [Theory]
    [InlineData("gpu_user_annotation", false)]
    [InlineData("user_annotation", true)]
    public void Layer_ranges_named_in_annotations_set_the_boundaries_and_the_run_says_so(string cat, bool cpu)
    {
        using var dir = new TempDir();
        var trace = dir.File("annotated.json");
        File.WriteAllText(trace, Trace(cat, cpu), new UTF8Encoding(false));
        Ingesting.Run(dir, trace, numLayers: 4);
        Assert.Equal("annotations", Ingesting.Scalar<string>(dir, "SELECT layer_evidence FROM runs"));
        // pass 0: embed (0) | layer 0 = 1..4 | layer 1 = 5..8 | layer 2 = 9..12 | layer 3 = 13..16 | lm_head, argmax (17, 18)
        Assert.Equal("-,0,0,0,0,1,1,1,1,2,2,2,2,3,3,3,3,-,-", Ingesting.Scalar<string>(dir,
            "SELECT group_concat(coalesce(layer_idx, '-'), ',') FROM (SELECT layer_idx FROM kernels WHERE pass_idx = 0 ORDER BY kernel_idx)"));
        Assert.Equal("model.layers.2", Ingesting.Scalar<string>(dir, "SELECT layer_module FROM kernels WHERE pass_idx = 1 AND layer_idx = 2 LIMIT 1"));
        Assert.Equal(3L * 4, Ingesting.Scalar<long>(dir, "SELECT COUNT(*) FROM layers"));
    }

    /// <summary>
    /// The layer modules annotations give kernels are new launch contexts: the GEMMs launched by aten::mm keep their
    /// work (27 kernels of 65,536 FLOPs each: 3 passes x 4 layers x 2 GEMMs given a layer module, and each pass's
    /// lm_head_gemm outside the ranges; before, only those 3 had it).
    /// </summary>
    [Fact]
    public void Kernels_given_a_layer_by_annotations_keep_the_work_of_their_launching_op()
    {
        using var dir = new TempDir();
        var trace = dir.File("annotated.json");
        File.WriteAllText(trace, Trace("gpu_user_annotation", cpu: false, gemmOps: true), new UTF8Encoding(false));
        Ingesting.Run(dir, trace, numLayers: 4);
        Assert.Equal("annotations", Ingesting.Scalar<string>(dir, "SELECT layer_evidence FROM runs"));
        Assert.Equal(24L, Ingesting.Scalar<long>(dir, "SELECT COUNT(*) FROM kernels WHERE op_name = 'aten::mm' AND layer_module IS NOT NULL"));
        Assert.Equal("27|65536|65536", Ingesting.Scalar<string>(dir,
            "SELECT COUNT(*) || '|' || MIN(flops) || '|' || MAX(flops) FROM _kernel_work"));
    }

    [Theory]
    [InlineData("layers.5", true)]
    [InlineData("model.layers.12", true)]
    [InlineData("layer_3", true)]
    [InlineData("DecoderLayer_7", true)]
    [InlineData("decoder_layer[2]", true)]
    [InlineData("Layer 4", true)]
    [InlineData("layer_norm", false)]
    [InlineData("step[decode bs=32]", false)]
    [InlineData("layers", false)]
    public void A_name_names_a_layer_only_with_its_number(string name, bool names)
        => Assert.Equal(names, LayerAnnotations.LayerName().IsMatch(name));
}
