using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Analysis.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>
/// Layer boundaries against TraceGen's ground truth: every kernel of every generated case must land in its true
/// (pass, layer | role), with the model's config, without any config, and with <c>--num-layers</c> set to the trace's
/// per-step layer count.
/// </summary>
[Trait("Category", "Slow")]
public sealed class GroundTruthSegmentationTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in GroundTruthCases.All)
            foreach (var mode in new[] { "config", "no-config", "num-layers" })
                data.Add(c.Name, mode);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_kernel_is_in_its_true_pass_and_layer_or_role(string name, string mode)
    {
        var c = GroundTruthCases.All.Single(x => x.Name == name);
        using var dir = new TempDir();
        var (kernels, truth) = TruthComparison.Generate(c.Spec, dir.Path, name);
        var config = mode == "config" ? ConfigFor(c) : null;
        var (profileName, _) = ProfileInference.Infer(config ?? ConfigFor(c));
        var profile = ProfileCatalog.Get(profileName);
        var layersPerStep = truth.Max(t => t.Layer) + 1;
        var options = mode == "num-layers" ? new SegmentationOptions(NumLayers: layersPerStep) : new SegmentationOptions();
        var result = Segmenter.Segment(kernels, profile, new KernelCategorizer(profile), options, config);
        var report = TruthComparison.Compare(truth, result, kernels);
        Assert.True(report.Share == 1.0 && report.CountProblem is null,
            $"{name} ({mode}): {result.NumLayers} layers ({result.NumLayersSource}), {result.Passes.Count} passes, evidence {result.Evidence}: {report}\n" +
            string.Join("\n", result.Warnings.Select(w => w.Kind + ": " + w.Detail)));
    }

    /// <summary>The case's model config: the shipped DeepSeek configs, else the few keys the generated model has.</summary>
    private static ModelConfig ConfigFor(GroundTruthCase c)
    {
        if (c.Spec.Shape == TraceShape.DeepSeekV3Decode)
            return ModelConfigReader.Read(SharedData.RepoFile("tests/data/configs/deepseek-ai--DeepSeek-V3_config.json"));
        if (c.Spec.Shape == TraceShape.DeepSeekV4Decode)
            return ModelConfigReader.Read(SharedData.RepoFile("tests/data/configs/deepseek-ai--DeepSeek-V4-Flash_config.json"));
        return ModelConfigReader.Parse($$"""{"num_hidden_layers": {{c.ModelNumLayers}}, "num_nextn_predict_layers": {{c.NextnPredictLayers}}}""");
    }
}
