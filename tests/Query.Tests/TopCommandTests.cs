using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class TopCommandTests
{
    [Fact]
    public void Top_ranks_names_by_total_time_with_share_of_pass_gpu_time()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("top", "--run", "1", "--pass", "0", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var rows = Parse.Csv(r.Stdout);
        Assert.Equal(
            ["nvjet_gemm_bf16", "flash_fwd_mla_kernel", "cross_device_reduce_1stage", "rms_norm_kernel", "embedding_kernel", "cross_device_reduce_2stage", "lm_head_gemv"],
            rows.Select(x => x["simplified_name"]).ToArray());
        var gemm = rows[0];
        Assert.Equal("3", gemm["kernel_count"]);
        Assert.Equal(24.0, Parse.D(gemm["total_us"]), 12);
        Assert.Equal(8.0, Parse.D(gemm["mean_us"]), 12);
        Assert.Equal(24.0 / 70 * 100, Parse.D(gemm["share_pct"]), 9); // pass GPU time 70 us, prologue/epilogue included
        var mla = rows[1];
        Assert.Equal(10.0, Parse.D(mla["min_us"]), 12);
        Assert.Equal(12.0, Parse.D(mla["max_us"]), 12);
        Assert.Equal(11.0, Parse.D(mla["mean_us"]), 12);
    }

    [Fact]
    public void Top_all_passes_by_category_covers_the_whole_run()
    {
        using var db = new FixtureDatabase();
        var rows = Parse.Csv(db.Run("top", "--run", "1", "--all-passes", "--by", "category", "--limit", "2", "--format", "csv").Stdout);
        Assert.Equal(["gemm_bf16", "mla"], rows.Select(x => x["category"]).ToArray());
        Assert.Equal("12", rows[0]["kernel_count"]);
        Assert.Equal(96.0, Parse.D(rows[0]["total_us"]), 12);
        Assert.Equal(96.0 / 280 * 100, Parse.D(rows[0]["share_pct"]), 9);
    }

    [Fact]
    public void Top_rejects_pass_with_all_passes_as_usage_error()
    {
        using var db = new FixtureDatabase();
        Assert.Equal(2, db.Run("top", "--run", "1", "--pass", "0", "--all-passes").ExitCode);
    }
}
