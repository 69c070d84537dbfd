using LlmPipeline.Analysis.Phases;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Phases;

/// <summary>
/// The last phase fallback, GEMM size (docs/messy-traces.md, B35 "then GEMM size"; AMD-AGI/TraceLens#1009): passes without a
/// phase annotation and without a classifying attention kernel take their phase from the token count M of their first
/// GEMM's Input Dims.
/// </summary>
public sealed class GemmPhaseTests
{
    [Theory]
    [InlineData("[[512, 4096], [4096, 4096]]", 512L)] // aten::mm [[M,K],[K,N]]
    [InlineData("[[32,4096],[11008,4096],[11008]]", 32L)] // aten::linear [[M,K],[N,K],[N]]
    [InlineData("[[640],[888,2880],[2880,640],[],[]]", 888L)] // aten::addmm: the 1-D bias first (b200 eager trace)
    [InlineData("[[4, 128, 4096], [4096, 4096]]", 512L)] // 3-D input: B × S tokens
    [InlineData("[[], [7]]", null)] // no input of two dimensions
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("not json", null)]
    public void TokenCount_reads_M_from_the_first_input_of_two_or_more_dimensions(string? dims, long? m) =>
        Assert.Equal(m, GemmPhaseRule.TokenCount(dims));

    [Theory]
    [InlineData(512L, 32L, 512L, "prefill")] // 16 × the smallest and above 256
    [InlineData(32L, 32L, 512L, "decode")] // the run has a prefill pass: the others are decode
    [InlineData(256L, 32L, 512L, "decode")] // 8 × but not above 256 tokens
    [InlineData(200L, 20L, 200L, null)] // 10 × but not above 256 tokens: no contrast in the run
    [InlineData(2048L, 512L, 2048L, null)] // only 4 ×: cannot tell
    [InlineData(15360L, 15360L, 15360L, null)] // one large pass alone: cannot tell
    [InlineData(64L, 64L, 64L, null)] // equal small batches (decode, or a training loop): cannot tell
    public void Classify_prefill_far_above_the_smallest_M_and_decode_only_when_the_run_shows_that_contrast(long m, long min, long max, string? phase) =>
        Assert.Equal(phase, GemmPhaseRule.Classify(m, min, max));

    [Fact]
    public void Ingest_takes_the_phase_from_gemm_M_when_neither_annotation_nor_attention_kernel_tells()
    {
        using var dir = new TempDir();
        long[] m = [512, 32, 32, 32];
        var trace = dir.File("gemm.json");
        File.WriteAllText(trace, PhaseTrace.Json(m.Select(x => new PhaseTrace.Pass(null, PhaseTrace.NeutralAttention, GemmM: x)).ToList()));
        var db = dir.File("t.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db).ExitCode);
        var rows = Parse.Csv(Llmpipe.Run("sql", "SELECT pass_idx, phase, phase_source, token_count, batch_size FROM passes ORDER BY pass_idx", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(["prefill", "decode", "decode", "decode"], rows.Select(r => r["phase"]));
        Assert.Equal("gemm M=512 (aten::mm, smallest M of the run 32)", rows[0]["phase_source"]);
        Assert.Equal("gemm M=32 (aten::mm, smallest M of the run 32)", rows[1]["phase_source"]);
        Assert.Equal(["512", "32", "32", "32"], rows.Select(r => r["token_count"]));
        Assert.All(rows, r => Assert.Equal("", r["batch_size"]));

        // resegment recomputes the same phases from the stored kernels.input_dims
        Assert.Equal(0, Llmpipe.Run("resegment", "--run", "1", "--num-layers", "4", "--db", db).ExitCode);
        rows = Parse.Csv(Llmpipe.Run("sql", "SELECT phase, phase_source FROM passes ORDER BY pass_idx", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(["prefill", "decode", "decode", "decode"], rows.Select(r => r["phase"]));
        Assert.Equal("gemm M=512 (aten::mm, smallest M of the run 32)", rows[0]["phase_source"]);
    }

    [Fact]
    public void Ingest_leaves_the_phase_unknown_without_input_dims_and_prefers_attention_kernels()
    {
        using var dir = new TempDir();
        var trace = dir.File("gemm.json");
        File.WriteAllText(trace, PhaseTrace.Json([
            new PhaseTrace.Pass(null, PhaseTrace.NeutralAttention),
            new PhaseTrace.Pass(null, PhaseTrace.NeutralAttention),
            new PhaseTrace.Pass(null, PhaseTrace.DecodeAttention, GemmM: 4096), // the decode kernel wins over a large M
            new PhaseTrace.Pass(null, PhaseTrace.NeutralAttention),
        ]));
        var db = dir.File("t.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db).ExitCode);
        var rows = Parse.Csv(Llmpipe.Run("sql", "SELECT phase, phase_source, token_count FROM passes ORDER BY pass_idx", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(["", "", "decode", ""], rows.Select(r => r["phase"]));
        Assert.Equal("kernel 'paged_attention_v2_kernel'", rows[2]["phase_source"]);
        Assert.All(rows, r => Assert.Equal("", r["token_count"]));
    }
}
