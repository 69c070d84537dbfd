using System.Globalization;
using System.Text;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>Issue 3 acceptance: exposed_comm_us on a two-stream pass, through ingest and the reports.</summary>
public sealed class ExposedCommTests
{
    // Per layer, relative to its start t (us): rms_norm [t, t+2) and a GEMM [t+3, t+13) on stream 7; an AllReduce
    // [t+9, t+17) on stream 8 overlapping the GEMM for 4 us. Layers every 20 us, 2 layers per pass, passes 500 us apart.
    // Layer: wall 17, sum 20, busy 2 + 14 = 16, idle 1, exposed comm 17 - 13 = 4 us. Pass: wall 37, sum 40, busy 32,
    // idle 5, exposed comm 8 us.
    private static string Trace()
    {
        var events = new List<string>();
        var correlation = 1;
        void Kernel(string name, int stream, double ts, double dur) => events.Add(string.Create(CultureInfo.InvariantCulture,
            $$$"""{"ph": "X", "cat": "kernel", "name": "{{{name}}}", "pid": 0, "tid": {{{stream}}}, "ts": {{{ts:0.000}}}, "dur": {{{dur:0.000}}}, "args": {"device": 0, "stream": {{{stream}}}, "correlation": {{{correlation++}}}}}"""));
        for (var pass = 0; pass < 3; pass++)
            for (var layer = 0; layer < 2; layer++)
            {
                var t = 1000.0 + pass * 540 + layer * 20;
                Kernel("rms_norm_kernel<bf16>", 7, t, 2);
                Kernel("nvjet_tst_128x256_64x4_2x1_v_bz_TNT", 7, t + 3, 10);
                Kernel("cross_device_reduce_1stage<bf16, 8>", 8, t + 9, 8);
            }
        var sb = new StringBuilder("{\"traceEvents\": [\n");
        sb.AppendJoin(",\n", events);
        sb.Append("\n]}");
        return sb.ToString();
    }

    [Fact]
    public void Exposed_comm_is_the_part_of_the_allreduce_no_other_kernel_overlaps()
    {
        using var dir = new TempDir();
        var trace = dir.File("two_streams.json");
        File.WriteAllText(trace, Trace());
        var db = dir.File("x.db");
        var ingest = Llmpipe.Run("ingest", trace, "--num-layers", "2", "--anchor-kernel", "rms_norm", "--db", db, "--quiet");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);

        var layers = Parse.Csv(Llmpipe.Run("layers", "--run", "1", "--pass", "1", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(2, layers.Count);
        foreach (var layer in layers)
        {
            Assert.Equal(0.004, Parse.D(layer["exposed_comm_ms"]), 9);
            Assert.Equal(0.017, Parse.D(layer["wall_ms"]), 9);
            Assert.Equal(0.020, Parse.D(layer["sum_ms"]), 9);
            Assert.Equal(0.016, Parse.D(layer["busy_ms"]), 9);
            Assert.Equal(0.001, Parse.D(layer["idle_ms"]), 9);
            Assert.Equal("1", layer["comm_count"]);
        }
        var pass = Parse.Json(Llmpipe.Run("sql", "SELECT wall_us, sum_us, busy_us, idle_us, exposed_comm_us FROM passes WHERE run_id = 1 AND pass_idx = 1",
            "--format", "json", "--db", db).Stdout)[0];
        Assert.Equal(37.0, pass.GetProperty("wall_us").GetDouble(), 9);
        Assert.Equal(40.0, pass.GetProperty("sum_us").GetDouble(), 9);
        Assert.Equal(32.0, pass.GetProperty("busy_us").GetDouble(), 9);
        Assert.Equal(5.0, pass.GetProperty("idle_us").GetDouble(), 9);
        Assert.Equal(8.0, pass.GetProperty("exposed_comm_us").GetDouble(), 9);
    }
}
