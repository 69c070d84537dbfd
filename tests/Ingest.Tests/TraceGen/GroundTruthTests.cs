using LlmPipeline.TraceGen;
using N = LlmPipeline.TraceGen.KernelNames;
using Xunit;

namespace LlmPipeline.Ingest.Tests.TraceGen;

/// <summary>The generator's ground truth: aligned with the emitted kernels, and placed where the layer rules say.</summary>
[Trait("Category", "Slow")]
public class GroundTruthTests
{
    public static TheoryData<string> CaseNames() => new(GroundTruthCases.All.Select(c => c.Name));

    private static GroundTruthCase Case(string name) => GroundTruthCases.All.Single(c => c.Name == name);

    /// <summary>Kernels in kernel_idx order: ts ascending, file order for ties.</summary>
    private static List<ParsedTrace.Kernel> Ordered(ParsedTrace t) =>
        t.Kernels.Select((k, i) => (k, i)).OrderBy(x => x.k.TsNs).ThenBy(x => x.i).Select(x => x.k).ToList();

    private static bool IsNormStart(string name) =>
        name is N.VllmRmsNorm or N.VllmFusedAddRmsNorm or N.FusedAddRmsNorm or N.MhcPreBigFuse or N.CopyToFloat;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Truth_is_aligned_with_the_emitted_kernels_and_every_layer_starts_at_its_input_norm(string name)
    {
        var c = Case(name);
        var t = ParsedTrace.Generate(c.Spec);
        var truth = t.Result.Truth;
        var ks = Ordered(t);
        Assert.Equal(ks.Count, truth.Count);
        Assert.Equal(t.Kernels.Select(k => k.Name), ks.Select(k => k.Name)); // written in kernel_idx order
        int n = c.Spec.EffectiveNumLayers;
        int blocksPerLayer = c.Spec.Shape == TraceShape.DeepSeekV4Decode ? 2 : 1;
        for (int i = 0; i < truth.Count; i++)
        {
            var k = truth[i];
            Assert.Equal(i, k.KernelIdx);
            Assert.Equal(ks[i].Name, k.Name);
            Assert.InRange(k.Pass, 0, truth.Passes - 1);
            if (k.Role == TruthRole.Layer)
            {
                Assert.InRange(k.Layer, 0, n - 1);
                Assert.InRange(k.Block, 0, blocksPerLayer - 1);
                bool first = i == 0 || truth[i - 1].Role != TruthRole.Layer || truth[i - 1].Layer != k.Layer;
                if (first && !(i == 0 && truth.FirstPassPartial)) Assert.True(IsNormStart(k.Name), $"{name}: layer {k.Layer} of pass {k.Pass} starts with {k.Name}");
            }
            else Assert.Equal(-1, k.Layer);
            if (i > 0) Assert.True(truth[i - 1].Pass <= k.Pass);
        }
        // Each whole layer holds its anchor(s) exactly once per block.
        foreach (var layer in truth.Where(k => k.Role == TruthRole.Layer).GroupBy(k => (k.Pass, k.Layer)))
        {
            bool whole = !(layer.Key.Pass == 0 && truth.FirstPassPartial && layer.First().KernelIdx == 0)
                && !(layer.Key.Pass == truth.Passes - 1 && truth.LastPassPartial && layer.Last().KernelIdx == truth.Count - 1);
            if (whole) Assert.Equal(blocksPerLayer, layer.Count(k => k.Name.Contains(c.Anchor, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Tiny_dense_case_puts_layer_starts_at_hand_checked_positions()
    {
        // WorldSize 1: prologue 1 (embedding), 2 layers of 12, epilogue 3 (fused_add_rms_norm, lm_head, argmax) = 28 per pass.
        var spec = new TraceSpec { Shape = TraceShape.DenseAddNorm, NumLayers = 2, Passes = 2, WorldSize = 1 };
        var t = ParsedTrace.Generate(spec);
        var truth = t.Result.Truth;
        Assert.Equal(28, TraceWriter.KernelsPerPass(spec));
        Assert.Equal(56, truth.Count);
        Assert.Equal(1, TraceWriter.LayerStartOffset(spec, 0));
        Assert.Equal(13, TraceWriter.LayerStartOffset(spec, 1));
        Assert.Equal(25, TraceWriter.LayerStartOffset(spec, 2));
        foreach (int p in new[] { 0, 1 })
        {
            int b = 28 * p;
            Assert.Equal((p, -1, TruthRole.Prologue), (truth[b].Pass, truth[b].Layer, truth[b].Role));
            Assert.Equal(N.Embedding, truth[b].Name);
            Assert.Equal((p, 0, TruthRole.Layer), (truth[b + 1].Pass, truth[b + 1].Layer, truth[b + 1].Role));
            Assert.Equal(N.VllmRmsNorm, truth[b + 1].Name);            // layer 0: plain input norm
            Assert.Equal(N.VllmRmsNorm, truth[b + 3].Name);            // q-norm inside attention
            Assert.Equal(N.RotaryEmbedding, truth[b + 5].Name);        // the anchor, mid-layer
            Assert.Equal(N.VllmFusedAddRmsNorm, truth[b + 9].Name);    // post-attention norm: still layer 0
            Assert.Equal(0, truth[b + 12].Layer);                      // down GEMM closes layer 0
            Assert.Equal((1, N.VllmFusedAddRmsNorm), (truth[b + 13].Layer, truth[b + 13].Name)); // residual add + input norm of layer 1
            Assert.Equal(1, truth[b + 24].Layer);
            Assert.Equal((-1, TruthRole.Epilogue, N.VllmFusedAddRmsNorm), (truth[b + 25].Layer, truth[b + 25].Role, truth[b + 25].Name));
            Assert.Equal((TruthRole.Epilogue, N.ArgMax), (truth[b + 27].Role, truth[b + 27].Name));
        }
    }

    [Fact]
    public void Shapes_have_their_documented_kernel_counts()
    {
        int PerLayer(TraceShape s, int ws) =>
            TraceWriter.LayerStartOffset(new TraceSpec { Shape = s, NumLayers = 3, WorldSize = ws }, 2)
            - TraceWriter.LayerStartOffset(new TraceSpec { Shape = s, NumLayers = 3, WorldSize = ws }, 1);
        Assert.Equal(12, PerLayer(TraceShape.DenseAddNorm, 1));
        Assert.Equal(14, PerLayer(TraceShape.DenseAddNorm, 8));
        Assert.Equal(19, PerLayer(TraceShape.GptOss, 1));
        Assert.Equal(21, PerLayer(TraceShape.GptOss, 8));
        Assert.Equal(42, PerLayer(TraceShape.EagerHf, 1));
        Assert.Equal(42, PerLayer(TraceShape.EagerHf, 8));
        // EagerHf: prologue 10 + 24 × 42 + epilogue 11.
        Assert.Equal(10 + 24 * 42 + 11, TraceWriter.KernelsPerPass(new TraceSpec { Shape = TraceShape.EagerHf, WorldSize = 1 }));
        Assert.Equal(10, TraceWriter.LayerStartOffset(new TraceSpec { Shape = TraceShape.EagerHf, WorldSize = 1 }, 0));
    }

    [Fact]
    public void Eager_norm_is_eight_kernels_and_opens_the_layer()
    {
        var t = ParsedTrace.Generate(GroundTruthCases.EagerHf.Spec with { Passes = 1, NumLayers = 2 });
        var truth = t.Result.Truth;
        var layer1 = truth.Where(k => k.Layer == 1).Select(k => k.Name).ToList();
        Assert.Equal([N.CopyToFloat, N.PowTensorScalar, N.MeanReduce, N.AddScalarFloat, N.Rsqrt, N.MulFloat, N.CopyToBf16, N.MulBf16], layer1.Take(8));
        Assert.Equal(N.AddBf16Vectorized, layer1[^1]);   // the MLP's residual add closes the layer
        Assert.Equal(1, layer1.Count(n => n == N.PytorchFlashFwd));
        Assert.Equal(1, layer1.Count(n => n == N.SiluEager));
        var epilogue = truth.Where(k => k.Role == TruthRole.Epilogue).Select(k => k.Name).ToList();
        Assert.Equal(11, epilogue.Count);
        Assert.Equal(N.CopyToFloat, epilogue[0]);        // final norm
        Assert.Equal(0, t.Count("ncclDevKernel"));
    }

    [Fact]
    public void Gpt_oss_alternates_sliding_and_full_attention_with_moe_in_every_layer()
    {
        var truth = ParsedTrace.Generate(GroundTruthCases.GptOss.Spec with { Passes = 1, NumLayers = 4 }).Result.Truth;
        for (int l = 0; l < 4; l++)
        {
            var names = truth.Where(k => k.Layer == l).Select(k => k.Name).ToList();
            Assert.Equal(l % 2 == 0 ? 1 : 0, names.Count(n => n == N.FmhaSliding));
            Assert.Equal(l % 2 == 0 ? 0 : 1, names.Count(n => n == N.FmhaFull));
            Assert.Equal(1, names.Count(n => n == N.MoeGemm1SwiGlu));
            Assert.Equal(l == 0 ? N.VllmRmsNorm : N.VllmFusedAddRmsNorm, names[0]);
            Assert.Equal(N.NcclAllReduce, names[^1]);   // the collective closing the MoE is the layer's
        }
    }

    [Fact]
    public void Partial_first_pass_keeps_true_layer_numbers_and_partial_last_pass_starts_at_layer_0()
    {
        var c = GroundTruthCases.EagerHfPartial;
        var truth = ParsedTrace.Generate(c.Spec).Result.Truth;
        Assert.Equal(3, truth.Passes);
        Assert.True(truth.FirstPassPartial && truth.LastPassPartial);
        Assert.Equal((0, 14, TruthRole.Layer, N.CopyToFloat), (truth[0].Pass, truth[0].Layer, truth[0].Role, truth[0].Name));
        Assert.Equal(Enumerable.Range(14, 10), truth.Where(k => k.Pass == 0 && k.Role == TruthRole.Layer).Select(k => k.Layer).Distinct());
        Assert.Equal(11, truth.Count(k => k.Pass == 0 && k.Role == TruthRole.Epilogue));
        Assert.Equal(Enumerable.Range(0, 6), truth.Where(k => k.Pass == 2 && k.Role == TruthRole.Layer).Select(k => k.Layer).Distinct());
        Assert.Equal(20, truth.Count(k => k.Pass == 2 && k.Layer == 5));
        Assert.Equal(10 + 24 * 42 + 11, truth.Count(k => k.Pass == 1));
        // Mid-layer cut: the dense case opens 5 kernels before layer 26, inside layer 25.
        var d = ParsedTrace.Generate(GroundTruthCases.DensePartial.Spec).Result.Truth;
        Assert.Equal(5, d.Count(k => k.Pass == 0 && k.Layer == 25));
        Assert.Equal(N.VllmFusedAddRmsNorm, d[5].Name);
        Assert.Equal(26, d[5].Layer);
    }

    [Fact]
    public void Draft_blocks_follow_the_epilogue_of_every_step_with_their_own_block_numbers()
    {
        var c = GroundTruthCases.DeepSeekV3Draft3;
        var t = ParsedTrace.Generate(c.Spec);
        var truth = t.Result.Truth;
        Assert.Equal(3 * 61, t.Count("flash_fwd_mla_combine") - 3 * 3);
        foreach (var p in Enumerable.Range(0, 3))
        {
            var draft = truth.Where(k => k.Pass == p && k.Role == TruthRole.Draft).ToList();
            Assert.Equal(3 * (4 + 32 + 4), draft.Count);   // head 4 + MoE layer 32 + tail 4, three times
            Assert.Equal([0, 1, 2], draft.Select(k => k.Block).Distinct());
            Assert.All(draft, k => Assert.Equal(-1, k.Layer));
            Assert.Equal(Enumerable.Range(0, 61), truth.Where(k => k.Pass == p && k.Role == TruthRole.Layer).Select(k => k.Layer).Distinct());
        }
        var mtp = ParsedTrace.Generate(GroundTruthCases.DeepSeekV3Mtp1.Spec).Result.Truth;
        Assert.Equal(3 * 40, mtp.Count(k => k.Role == TruthRole.Mtp));
    }

    [Fact]
    public void Mtp1_trace_bytes_do_not_depend_on_the_truth_role()
    {
        var spec = new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, NumLayers = 4, Passes = 2, MtpLayers = 1 };
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        TraceWriter.Write(spec, a);
        TraceWriter.Write(spec with { MtpTruthRole = TruthRole.Draft }, b);
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void DeepSeek_v4_blocks_are_the_attention_then_the_ffn_half()
    {
        var truth = ParsedTrace.Generate(GroundTruthCases.DeepSeekV4Halves.Spec with { Passes = 1, NumLayers = 4 }).Result.Truth;
        foreach (var layer in truth.Where(k => k.Role == TruthRole.Layer).GroupBy(k => k.Layer))
        {
            var l = layer.ToList();
            int split = l.FindIndex(k => k.Block == 1);
            Assert.Equal(N.MhcPost, l[split - 1].Name);
            Assert.Equal(N.MhcPreBigFuse, l[0].Name);
            Assert.Equal(N.MhcPreBigFuse, l[split].Name);
            Assert.Equal(N.MhcPost, l[^1].Name);
            Assert.Contains(l.Take(split), k => k.Name == N.MlaSparseFp8);
            Assert.Contains(l.Skip(split), k => k.Name == N.FusedMoe);
        }
    }

    [Fact]
    public void Pipeline_stages_swap_embedding_or_lm_head_for_a_sendrecv_and_number_layers_from_0()
    {
        var last = ParsedTrace.Generate(GroundTruthCases.PipelineLastStage.Spec);
        var lt = last.Result.Truth;
        Assert.Equal(0, last.Count("indexSelect"));
        Assert.Equal(3, last.Count("ArgMaxOps"));
        Assert.Equal(3 * 30 * 2, last.Count("fused_moe_kernel"));   // model layers 31..60 are all MoE
        foreach (var p in Enumerable.Range(0, 3))
        {
            var pass = lt.Where(k => k.Pass == p).ToList();
            Assert.Equal((TruthRole.Prologue, N.NcclSendRecv), (pass[0].Role, pass[0].Name));
            Assert.Single(pass, k => k.Role == TruthRole.Prologue);
            Assert.Equal(Enumerable.Range(0, 30), pass.Where(k => k.Role == TruthRole.Layer).Select(k => k.Layer).Distinct());
        }
        var first = ParsedTrace.Generate(GroundTruthCases.PipelineFirstStage.Spec);
        Assert.Equal(0, first.Count("ArgMaxOps"));
        Assert.Equal(3, first.Count("indexSelect"));
        Assert.Equal(3 * 28 * 2, first.Count("fused_moe_kernel")); // layers 3..30 MoE
        var ft = first.Result.Truth;
        Assert.All(ft.Where(k => k.Role == TruthRole.Epilogue), k => Assert.Equal(N.NcclSendRecv, k.Name));
        Assert.Equal(3, ft.Count(k => k.Role == TruthRole.Epilogue));
        var middle = ParsedTrace.Generate(GroundTruthCases.PipelineMiddleStage.Spec);
        Assert.Equal(0, middle.Count("indexSelect") + middle.Count("ArgMaxOps"));
        Assert.Equal(N.VllmFusedAddRmsNorm, middle.Result.Truth.First(k => k.Role == TruthRole.Layer).Name); // model layer 12
    }

    [Fact]
    public void Back_to_back_steps_have_no_idle_gap_and_keep_their_own_epilogue()
    {
        var c = GroundTruthCases.DenseBackToBack;
        var t = ParsedTrace.Generate(c.Spec);
        var r = t.Result;
        for (int p = 1; p < r.Passes; p++) Assert.InRange(r.PassStartNs[p] - r.PassEndNs[p - 1], 0, 10_000);
        Assert.Equal(4, t.Count("ArgMaxOps"));
        Assert.All(Enumerable.Range(0, 4), p => Assert.Equal(3, r.Truth.Count(k => k.Pass == p && k.Role == TruthRole.Epilogue)));
    }

    [Fact]
    public void Truth_file_round_trips_and_sits_next_to_the_trace()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tracegen-truth-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "case.pt.trace.json.gz");
            var r = TraceWriter.WriteFile(GroundTruthCases.DensePartial.Spec, path, gzip: true, writeTruth: true);
            var truthPath = Path.Combine(dir, "case.pt.trace.truth.tsv");
            Assert.Equal(truthPath, TraceTruth.PathFor(path));
            var read = TraceTruth.ReadTsv(truthPath);
            Assert.Equal(r.Truth.ToList(), read);
            var lines = File.ReadLines(truthPath).Take(4).ToList();
            Assert.Equal(TraceTruth.FileMagic, lines[0]);
            Assert.Equal(TraceTruth.ColumnHeader, lines[2]);
            Assert.StartsWith("0\t0\t25\tlayer\t0\t", lines[3]);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Window_that_leaves_no_whole_layer_is_rejected()
    {
        var spec = new TraceSpec { Shape = TraceShape.DenseAddNorm, NumLayers = 2, Passes = 2, WorldSize = 1 };
        Assert.Throws<ArgumentException>(() => TraceWriter.Write(spec with { TrimFirstPassKernels = 14 }, Stream.Null));
        Assert.Throws<ArgumentException>(() => TraceWriter.Write(spec with { KeepLastPassKernels = 12 }, Stream.Null));
        TraceWriter.Write(spec with { TrimFirstPassKernels = 13, KeepLastPassKernels = 13 }, Stream.Null);
    }
}
