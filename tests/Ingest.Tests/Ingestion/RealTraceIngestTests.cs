using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>Issue 2 acceptance on the real traces in ../shared/traces (skipped, and said so, when it is absent).</summary>
[Trait("Category", "Slow")]
public sealed class RealTraceIngestTests
{
    [SkippableFact]
    public void Ingest_b200_eager_trace_gives_one_pass_of_36_layers()
    {
        var trace = SharedData.RequireTrace("tracelens/b200/eager_trace.json.gz");
        var config = SharedData.RequireConfig("tenstorrent_tt-metal/models/demos/gpt_oss/configs/gpt-oss-120b/config.json");
        using var dir = new TempDir();
        Ingesting.Run(dir, trace, config);
        Assert.Equal(768, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(36, Ingesting.Scalar<long>(dir, "SELECT layer_count FROM passes"));
        Assert.Equal(36, Ingesting.Scalar<long>(dir, "SELECT count(DISTINCT layer_idx) FROM layers"));
    }

    [SkippableTheory]
    [InlineData("tracelens/inference/vllm_decode_full/graph_execution.json.gz", 425)]
    [InlineData("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz", 413)]
    public void Ingest_vllm_graph_execution_traces_give_24_layers(string relative, int kernels)
    {
        var trace = SharedData.RequireTrace(relative);
        var config = SharedData.RequireConfig("aiconfigurator/openai--gpt-oss-20b_config.json");
        using var dir = new TempDir();
        Ingesting.Run(dir, trace, config);
        Assert.Equal(kernels, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(24, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM layers"));
    }

    [SkippableFact]
    public void Ingest_h100_qwen_with_24_layers_gives_a_partial_pass_then_a_complete_one()
    {
        var trace = SharedData.RequireTrace("tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz");
        using var dir = new TempDir();
        Ingesting.Run(dir, trace, numLayers: 24);
        Assert.Equal(2, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT is_partial FROM passes WHERE pass_idx = 0"));
        var partialLayers = Ingesting.Scalar<long>(dir, "SELECT layer_count FROM passes WHERE pass_idx = 0");
        Assert.InRange(partialLayers, 10, 11);
        // The partial pass keeps its true layer numbers: the last K layers of a pass.
        Assert.Equal(23, Ingesting.Scalar<long>(dir, "SELECT max(layer_idx) FROM layers WHERE pass_idx = 0"));
        Assert.Equal(24 - partialLayers, Ingesting.Scalar<long>(dir, "SELECT min(layer_idx) FROM layers WHERE pass_idx = 0"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT is_partial FROM passes WHERE pass_idx = 1"));
        Assert.Equal(24, Ingesting.Scalar<long>(dir, "SELECT layer_count FROM passes WHERE pass_idx = 1"));
    }

    [SkippableTheory]
    [InlineData("kineto/resnet50_num_workers_0/worker0.pt.trace.json.gz", 9538)]
    [InlineData("kineto/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz", 8772)]
    [InlineData("hta/trace_file_list/inference_rank_1.json.gz", 4)]
    public void Ingest_old_format_traces_finds_their_kernels(string relative, int kernels)
    {
        var trace = SharedData.RequireTrace(relative);
        using var dir = new TempDir();
        Ingesting.Run(dir, trace);
        Assert.Equal(kernels, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.True(Ingesting.Scalar<long>(dir, "SELECT count(DISTINCT stream) FROM kernels") >= 1);
    }

    /// <summary>
    /// The 2021 Kineto trace names the shapes <c>"Input dims"</c> (lower-case d) on its <c>Operator</c> events: 8,700 of
    /// its 9,538 kernels have an External id of such an operator (counted with Python's json module), and each takes
    /// the operator's name and shapes; the other 838 point at no operator.
    /// </summary>
    [SkippableFact]
    public void Legacy_input_dims_key_gives_kernels_their_shapes()
    {
        var trace = SharedData.RequireTrace("kineto/resnet50_num_workers_0/worker0.pt.trace.json.gz");
        using var dir = new TempDir();
        Ingesting.Run(dir, trace);
        Assert.Equal(8700, Ingesting.Scalar<long>(dir, "SELECT count(input_dims) FROM kernels WHERE op_name IS NOT NULL"));
        Assert.Equal(838, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE op_name IS NULL"));
        Assert.Equal(576, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE op_name = 'aten::add_' AND input_dims = '[[256],[256],[]]'"));
    }
}
