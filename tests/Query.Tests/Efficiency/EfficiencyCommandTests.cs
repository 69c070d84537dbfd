using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Efficiency;

/// <summary>
/// <c>llmpipe efficiency</c> on the shipped sample tests/data/sglang_qwen3_8b_decode (SGLang Qwen3-8B, one CUDA-graph
/// decode step, bs = 32, 36 layers, MI300X) with its capture_traces/ (found next to the trace), so every GEMM has its
/// shapes.
/// </summary>
public sealed class EfficiencyCommandTests : IClassFixture<EfficiencyCommandTests.Db>
{
    /// <summary>The sample ingested once, with its capture traces and config.json (both found next to the trace).</summary>
    public sealed class Db : IDisposable
    {
        private readonly TempDir _dir = new();

        public Db()
        {
            Path = _dir.File("eff.db");
            SampleDatabases.CopyOnce(Path);
        }

        public string Path { get; }

        public void Dispose() => _dir.Dispose();
    }

    // Qwen3-8B per layer, 32 tokens, 2*M*N*K per GEMM as they run: fused QKV 4096 -> (32 + 2*8) * 128 = 6144,
    // O 4096 -> 4096, gate+up 4096 -> 2*12288 = 24576, down 12288 -> 4096.
    private const long GemmFlops = 2L * 32 * 4096 * 6144 + 2L * 32 * 4096 * 4096 + 2L * 32 * 4096 * 24576 + 2L * 32 * 12288 * 4096;

    // The paged decode attention kernel: 32 heads of d = 128 over the 32,785 context tokens of the step annotation
    // (generation_32(sq32sk32785...)): 2 * 32 * (128 + 128) * 32785.
    private const long AttentionFlops = 2L * 32 * 256 * 32785;

    private const long LayerFlops = GemmFlops + AttentionFlops;

    private readonly string _db;

    public EfficiencyCommandTests(Db db) => _db = db.Path;

    private static int Widest(string text) => text.Split('\n').Max(l => l.TrimEnd('\r').Length);

    [Theory]
    [InlineData("layer", 36)]
    [InlineData("layer-type", 3)]
    [InlineData("kernel", 440)]
    public void Every_by_fits_100_columns(string by, int expectedRows)
    {
        var r = Llmpipe.Run("efficiency", "--run", "1", "--by", by, "--db", _db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.InRange(Widest(r.Stdout), 40, 100);
        Assert.InRange(Widest(r.Stderr), 1, 200);
        Assert.True(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 2 == expectedRows, r.Stdout);
        // The pass line: decode, MI300X dense bf16 peak.
        Assert.Contains("run 1 pass 0: decode, MFU ", r.Stderr);
        Assert.Contains("TFLOP/s of 1307.4 bf16", r.Stderr);
    }

    [Fact]
    public void By_layer_gives_each_layer_its_hand_computed_gemm_and_attention_flops()
    {
        Assert.Equal(12_348_030_976L, GemmFlops);
        Assert.Equal(537_149_440L, AttentionFlops);
        var r = Llmpipe.Run("efficiency", "--run", "1", "--by", "layer", "--format", "csv", "--db", _db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = Parse.Csv(r.Stdout);
        Assert.Equal(36, rows.Count);
        Assert.Equal(Enumerable.Range(0, 36).Select(i => i.ToString()), rows.Select(x => x["layer"]));
        Assert.All(rows, x => Assert.Equal(LayerFlops.ToString(), x["flops"]));
        Assert.All(rows, x => Assert.Equal("shapes", x["src"]));
        // Weights are 4096 * (6144 + 4096 + 24576 + 12288) * 2 B = 385,875,968 B per layer, the KV cache read
        // 8 * (128 + 128) * 2 B * 32785 = 134,287,360 B; activations add a little.
        Assert.All(rows, x => Assert.InRange(long.Parse(x["bytes"]), 520_163_328L, 520_163_328L * 105 / 100));
        Assert.All(rows, x => Assert.InRange(double.Parse(x["mfu_pct"], System.Globalization.CultureInfo.InvariantCulture), 0.1, 10));

        var one = Parse.Csv(Llmpipe.Run("efficiency", "--run", "1", "--layer", "5", "--format", "csv", "--db", _db).Stdout);
        Assert.Equal("5", Assert.Single(one)["layer"]);
    }

    [Fact]
    public void By_layer_type_sums_the_layers_of_each_type()
    {
        var r = Llmpipe.Run("efficiency", "--run", "1", "--pass", "0", "--by", "layer-type", "--format", "csv", "--db", _db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = Parse.Csv(r.Stdout).ToDictionary(x => x["layer_type"]);
        Assert.Equal(["FINAL", "FIRST", "MIDDLE"], rows.Keys.Order());
        Assert.Equal("34", rows["MIDDLE"]["layers"]);
        Assert.Equal((34 * LayerFlops).ToString(), rows["MIDDLE"]["flops"]);
        Assert.Equal(LayerFlops.ToString(), rows["FIRST"]["flops"]);
        Assert.Equal(LayerFlops.ToString(), rows["FINAL"]["flops"]);
    }

    [Fact]
    public void By_kernel_sums_to_the_pass_gemm_and_attention_flops_with_lm_head()
    {
        var r = Llmpipe.Run("efficiency", "--run", "1", "--by", "kernel", "--format", "csv", "--db", _db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = Parse.Csv(r.Stdout);
        var withFlops = rows.Where(x => x["flops"] != "0").ToList();
        // 4 GEMMs and 1 paged attention kernel per layer (its reduce kernel carries none) and lm_head
        // (32 x 4096 x 151936), each once.
        Assert.Equal(36 * 5 + 1, withFlops.Count);
        Assert.Equal(36 * LayerFlops + 2L * 32 * 4096 * 151936, withFlops.Sum(x => long.Parse(x["flops"])));
        Assert.All(rows, x => Assert.InRange(x["op_name"].Length, 0, 22));
        Assert.Contains(rows, x => x["bound"] == "memory");
    }

    [Fact]
    public void An_unknown_by_is_a_usage_error()
    {
        var r = Llmpipe.Run("efficiency", "--run", "1", "--by", "bogus", "--db", _db);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bogus", r.Stderr);
        Assert.Equal("", r.Stdout);
    }
}
