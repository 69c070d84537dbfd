using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Graphs;

/// <summary>
/// The sample trace shipped in tests/data (SGLang, Qwen3-8B, one hipGraphLaunch decode step at batch size 32, MI300X)
/// with its capture trace in the capture_traces/ folder beside it, found by default as in the README's first command.
/// </summary>
public sealed class SampleCaptureTests
{
    private static TempDir Ingested()
    {
        var dir = new TempDir();
        SampleIngest.CopyTo(dir);
        return dir;
    }

    [Fact]
    public void Sample_step_replay_is_attributed_from_the_capture_found_beside_it()
    {
        using var dir = Ingested();
        Assert.Equal("hipGraphLaunch|544|544|sequence|bs_32_rank0.json.gz", Ingesting.Scalar<string>(dir,
            "SELECT graph_launch_api || '|' || replay_kernels || '|' || replay_attributed || '|' || replay_match || '|' || replay_captures FROM runs"));
        Assert.Equal(1.0, Ingesting.Scalar<double>(dir, "SELECT replay_coverage FROM pass_timeline"));
    }

    [Fact]
    public void Sample_step_36_decoder_layers_carry_their_layer_module_in_order_with_15_kernels_each()
    {
        using var dir = Ingested();
        // the capture's nn.Module scopes Qwen3DecoderLayer_0 … _35, each around the 15 launches of one layer
        Assert.Equal(Enumerable.Range(0, 36).Select(i => $"Qwen3DecoderLayer_{i}|15").ToList(), Ingesting.Strings(dir, """
            SELECT layer_module || '|' || count(*) FROM kernels WHERE layer_module IS NOT NULL
            GROUP BY layer_module ORDER BY min(kernel_idx)
            """));
        // and in kernel order: every kernel of layer n's range is in Qwen3DecoderLayer_n
        Assert.Equal(0, Ingesting.Scalar<long>(dir, """
            SELECT count(*) FROM kernels a JOIN kernels b ON b.run_id = a.run_id AND b.kernel_idx > a.kernel_idx
            WHERE a.layer_module IS NOT NULL AND b.layer_module IS NOT NULL
              AND CAST(substr(b.layer_module, 19) AS INTEGER) < CAST(substr(a.layer_module, 19) AS INTEGER)
            """));
    }

    /// <summary>
    /// The GEMMs the step ran, with the Input Dims of their aten::mm as the capture records them: M = 32 tokens,
    /// hidden 4096, QKV 4096 → (32 + 2 × 8) × 128 = 6144, O 4096 → 4096, gate-up 4096 → 2 × 12288, down 12288 → 4096,
    /// lm_head 4096 → vocabulary 151936 (Qwen3-8B's config).
    /// </summary>
    [Fact]
    public void Sample_step_gemms_have_the_shapes_the_step_ran()
    {
        using var dir = Ingested();
        Assert.Equal(
        [
            "[[32,4096],[4096,6144]]|36|QKVParallelLinear",
            "[[32,4096],[4096,4096]]|36|RowParallelLinear",
            "[[32,4096],[4096,24576]]|36|MergedColumnParallelLinear",
            "[[32,12288],[12288,4096]]|36|RowParallelLinear",
            "[[32,4096],[4096,151936]]|1|LogitsProcessor",
        ], Ingesting.Strings(dir, """
            SELECT input_dims || '|' || count(*) || '|' || rtrim(min(module), '0123456789_') FROM kernels WHERE op_name = 'aten::mm'
            GROUP BY input_dims ORDER BY min(kernel_idx)
            """));
        Assert.Equal("[\"c10::BFloat16\",\"c10::BFloat16\"]", Ingesting.Scalar<string>(dir, "SELECT DISTINCT input_types FROM kernels WHERE op_name = 'aten::mm'"));
        Assert.Equal("QKVParallelLinear_7", Ingesting.Scalar<string>(dir,
            "SELECT module FROM kernels WHERE op_name = 'aten::mm' AND input_dims = '[[32,4096],[4096,6144]]' AND layer_module = 'Qwen3DecoderLayer_7'"));
    }
}
