using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>Issue 2 acceptance on the traces shipped under tests/data (no ../shared needed).</summary>
public sealed class SampleTraceIngestTests
{
    [Fact]
    public void Ingest_sglang_qwen3_decode_gives_one_pass_of_36_layers()
    {
        using var dir = new TempDir();
        var outcome = SampleIngest.CopyTo(dir);
        Assert.Equal(1, outcome.RunId);
        Assert.False(outcome.AlreadyPresent);
        Assert.Equal(555, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels WHERE run_id = 1"));
        Assert.Equal("generic", Ingesting.Scalar<string>(dir, "SELECT profile FROM runs WHERE run_id = 1"));
        Assert.Equal(36, Ingesting.Scalar<long>(dir, "SELECT num_layers FROM runs WHERE run_id = 1"));
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes WHERE run_id = 1"));
        Assert.Equal(36, Ingesting.Scalar<long>(dir, "SELECT layer_count FROM passes WHERE run_id = 1"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT is_partial FROM passes WHERE run_id = 1"));
        Assert.Equal(Enumerable.Range(0, 36).Select(i => (long)i), Ingesting.Longs(dir, "SELECT layer_idx FROM layers WHERE run_id = 1 ORDER BY layer_idx"));
        // The config beside the trace was used and stored.
        Assert.Contains("\"num_hidden_layers\": 36", Ingesting.Scalar<string>(dir, "SELECT config_json FROM runs WHERE run_id = 1"));
        Assert.Contains("config.json found next to the trace", outcome.Summary);
    }

    [Fact]
    public void Ingest_vllm_full_graph_decode_gives_24_layers()
    {
        using var dir = new TempDir();
        Ingesting.Run(dir, Ingesting.DataFile("vllm_gpt_oss_20b_decode_full/graph_execution.json.gz"));
        Assert.Equal(425, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(24, Ingesting.Scalar<long>(dir, "SELECT layer_count FROM passes"));
        Assert.Equal(24, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM layers"));
    }

    [Fact]
    public void Ingest_legacy_categories_finds_Kernel_events()
    {
        using var dir = new TempDir();
        Ingesting.Run(dir, Ingesting.DataFile("hta_legacy/inference_rank_1.json.gz"));
        Assert.Equal(4, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT rank FROM runs"));
    }

    [Fact]
    public void Ingest_same_file_twice_reports_already_present_and_force_makes_a_new_run()
    {
        using var dir = new TempDir();
        var trace = SampleIngest.Trace;
        var first = SampleIngest.CopyTo(dir);
        var second = Ingesting.Run(dir, trace);
        Assert.True(second.AlreadyPresent);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal(1, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM runs"));
        var forced = Ingesting.Run(dir, trace, force: true);
        Assert.Equal(2, forced.RunId);
        Assert.Equal(1110, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernels"));
        // A different layer count is a different run, not a duplicate.
        var other = Ingesting.Run(dir, trace, numLayers: 18);
        Assert.False(other.AlreadyPresent);
        Assert.Equal(3, other.RunId);
    }
}
