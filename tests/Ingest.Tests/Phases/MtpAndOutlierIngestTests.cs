using Dapper;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Ingest.Tests.Ingestion;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Phases;

/// <summary>Issue 4 acceptance: MTP blocks (B34) and steady windows / outliers (B31) on synthetic traces.</summary>
public sealed class MtpAndOutlierIngestTests
{
    [Fact]
    public void Ingest_deepseek_v3_with_one_mtp_layer_gives_61_layers_and_one_mtp_block_per_pass()
    {
        using var dir = new TempDir();
        var trace = dir.File("dsv3_mtp.json.gz");
        TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 4, MtpLayers = 1, Seed = 5 }, trace, gzip: true);
        Ingesting.Run(dir, trace, Ingesting.DataFile("configs/deepseek-ai--DeepSeek-V3_config.json"));
        Assert.Equal(4, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes WHERE is_partial = 1"));
        Assert.Equal(new long[] { 61, 61, 61, 61 }, Ingesting.Longs(dir, "SELECT layer_count FROM passes ORDER BY pass_idx"));
        Assert.Equal(4 * 61, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM layers"));
        Assert.Equal(0, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM layers WHERE layer_idx >= 61"));
        // one MTP block per pass, numbered after the 61 main blocks, opened by its anchor
        Assert.Equal(new long[] { 0, 1, 2, 3 }, Ingesting.Longs(dir, "SELECT pass_idx FROM mtp_blocks WHERE role = 'mtp' AND block_idx = 61 ORDER BY pass_idx"));
        Assert.Equal(4, Ingesting.Scalar<long>(dir, """
            SELECT count(*) FROM kernels k JOIN kernel_names n USING (name_id)
            WHERE n.name LIKE '%flash_fwd_mla_combine%' AND k.role = 'mtp' AND k.layer_idx IS NULL
            """));
        // not shifted: every pass starts with its own embedding as prologue, and its layer 0 starts at an anchor
        Assert.Equal(new long[] { 1, 1, 1, 1 }, Ingesting.Longs(dir, """
            SELECT count(*) FROM kernels k JOIN kernel_names n USING (name_id)
            WHERE k.role = 'prologue' AND n.name LIKE '%indexSelect%' GROUP BY k.pass_idx ORDER BY k.pass_idx
            """));
        // the MTP layer's MoE half is in its block, not in a layer of the next pass
        Assert.Equal(new long[] { 2, 2, 2, 2 }, Ingesting.Longs(dir, "SELECT count(*) FROM kernels WHERE role = 'mtp' AND name_id IN (SELECT name_id FROM kernel_names WHERE name LIKE '%fused_moe_kernel%') GROUP BY pass_idx ORDER BY pass_idx"));
        Assert.Equal(new long[] { 0, 0, 0, 0 }, Ingesting.Longs(dir, "SELECT is_outlier FROM passes ORDER BY pass_idx"));
        Assert.Equal("decode", Ingesting.Scalar<string>(dir, "SELECT DISTINCT phase FROM passes"));
    }

    [Fact]
    public void Ingest_three_ramp_up_passes_and_one_outlier_are_flagged_and_the_default_pass_is_steady()
    {
        using var dir = new TempDir();
        var trace = dir.File("ramp.json");
        TraceWriter.WriteFile(new TraceSpec
        {
            Shape = TraceShape.Generic, Passes = 10, WorldSize = 1, Seed = 3,
            PassTimeScales = [3.0, 2.0, 1.6, 1, 1, 1, 1, 2.5, 1, 1],
            // Steady passes must stay within the 5 % steady-state band of layer 0: little duration jitter and short
            // inter-kernel gaps (their 0.5x-1.5x jitter dominates a 10-kernel layer's wall otherwise).
            JitterFraction = 0.01, KernelGapUs = 0.5,
        }, trace, gzip: false);
        Ingesting.Run(dir, trace, numLayers: 4);
        Assert.Equal(10, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM passes"));
        Assert.Equal(new long[] { 1, 1, 1, 0, 0, 0, 0, 1, 0, 0 }, Ingesting.Longs(dir, "SELECT is_outlier FROM passes ORDER BY pass_idx"));
        Assert.StartsWith("ramp-up: wall ", Ingesting.Scalar<string>(dir, "SELECT outlier_reason FROM passes WHERE pass_idx = 2"));
        Assert.StartsWith("outlier: wall ", Ingesting.Scalar<string>(dir, "SELECT outlier_reason FROM passes WHERE pass_idx = 7"));
        Assert.Contains("the median of 10 ", Ingesting.Scalar<string>(dir, "SELECT outlier_reason FROM passes WHERE pass_idx = 7"), StringComparison.Ordinal);

        using var c = LlmDatabase.OpenReadOnly(dir.File("t.db"));
        var rows = c.Query<(long Pass, double Wall, long Partial, string? Phase, long Outlier, double? L0)>("""
            SELECT p.pass_idx, p.wall_us, p.is_partial, p.phase, p.is_outlier, l.wall_us FROM passes p
            LEFT JOIN layers l ON l.run_id = p.run_id AND l.device = p.device AND l.pass_idx = p.pass_idx AND l.layer_idx = 0
            ORDER BY p.pass_idx
            """).ToList();
        var passes = rows.Select(r => new PassSummary((int)r.Pass, new KernelTotals(0, 0, r.Wall, 0, 0, 0, 0, 0), 4, r.Partial != 0, null, r.Phase)).ToList();
        var (chosen, reason) = DefaultPass.ChooseInPhase(passes, rows.Select(r => r.L0).ToList(), rows.Select(r => r.Outlier != 0).ToList(), null);
        Assert.Equal(3, chosen);
        Assert.Contains("4 outlier pass(es) left out", reason, StringComparison.Ordinal);
    }
}
