using System.Globalization;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Efficiency;

/// <summary><c>compare --by layer-type</c> gives each run's MFU and MBU per layer type (issue 20).</summary>
public sealed class CompareEfficiencyTests
{
    [Fact]
    public void Compare_by_layer_type_has_hand_computed_mfu_and_mbu_per_run()
    {
        var sample = SampleDatabases.Trace;
        using var dir = new TempDir();
        var db = dir.File("cmp.db");
        var empty = Directory.CreateDirectory(dir.File("none")).FullName;
        // Run 1 with the capture (shape-derived work), run 2 without it (config-derived work).
        SampleDatabases.CopyOnce(db);
        Assert.Equal(0, Llmpipe.Run("ingest", sample, "--capture-traces", empty, "--label", "nocap", "--db", db, "--quiet").ExitCode);
        var r = Llmpipe.Run("compare", "--run", "1", "--run", "2", "--by", "layer-type", "--format", "csv", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = Parse.Csv(r.Stdout).ToDictionary(x => x["layer_type"]);
        Assert.Equal(["FINAL", "FIRST", "MIDDLE"], rows.Keys.Order());
        static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

        // Per layer 2*32*4096*(6144+4096+24576) + 2*32*12288*4096 GEMM FLOPs and the decode attention over the step's
        // 32,785 context tokens, 2*32*(128+128)*32785 FLOPs, either way; MI300X dense bf16 1307.4 TFLOP/s.
        const long layerFlops = 12_348_030_976L + 537_149_440L;
        // Config-derived bytes: bf16 weights read once and the KV cache read, 8*(128+128)*2 B per context token.
        const long layerWeights = 4096L * 47104 * 2 + 8L * 256 * 2 * 32785;
        foreach (var (type, layers) in new[] { ("FINAL", 1), ("FIRST", 1), ("MIDDLE", 34) })
        {
            var row = rows[type];
            var wallUs = D(row["run_2_us"]);
            Assert.Equal(D(row["run_1_us"]), wallUs); // the same trace
            var mfu = Math.Round(100.0 * layers * layerFlops / (wallUs * 1e6) / 1307.4, 1);
            Assert.Equal(mfu, D(row["mfu_1_pct"]), 1e-9);
            Assert.Equal(mfu, D(row["mfu_2_pct"]), 1e-9);
            // Run 2's bytes: the weights and KV read (+ 512 B of layer 5's aten::neg, launched outside the graph); MI300X 5300 GB/s.
            var bytes = layers * layerWeights + (type == "MIDDLE" ? 512 : 0);
            Assert.Equal(Math.Round(100.0 * bytes / (wallUs * 1e3) / 5300, 1), D(row["mbu_2_pct"]), 1e-9);
            Assert.InRange(D(row["mbu_1_pct"]), D(row["mbu_2_pct"]), 100); // shapes add the activations to the weights
        }
    }

    [Fact]
    public void Compare_by_layer_has_no_efficiency_columns()
    {
        var sample = SampleDatabases.Trace;
        using var dir = new TempDir();
        var db = dir.File("cmp.db");
        SampleDatabases.CopyOnce(db);
        Assert.Equal(0, Llmpipe.Run("ingest", sample, "--label", "again", "--force", "--db", db, "--quiet").ExitCode);
        var r = Llmpipe.Run("compare", "--run", "1", "--run", "2", "--by", "layer", "--format", "csv", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("mfu_", r.Stdout.Split('\n')[0]);
    }
}
