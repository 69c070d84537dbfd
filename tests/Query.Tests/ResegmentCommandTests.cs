using Dapper;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>resegment / recategorize (issue 3): recompute from the stored kernels, in one transaction.</summary>
public sealed class ResegmentCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _db;

    /// <summary>
    /// A generic-shape trace (4 layers per pass, 3 passes, one rank, one stream) ingested with <c>--num-layers 4</c>:
    /// built once, and each test changes its own copy.
    /// </summary>
    private static readonly CachedDatabase<CliResult> Generic = new("resegment-generic", db =>
    {
        var trace = Path.Combine(Path.GetDirectoryName(db)!, "resegment-generic.json");
        TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.Generic, NumLayers = 4, Passes = 3, WorldSize = 1, Seed = 5 }, trace, gzip: false);
        return Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db, "--quiet");
    });

    public ResegmentCommandTests()
    {
        _db = _dir.File("r.db");
        var ingest = Generic.CopyTo(_db);
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Resegment_with_another_layer_count_changes_passes_and_layers_and_keeps_kernel_rows()
    {
        var kernelsBefore = Kernels();
        Assert.Equal(3L, Scalar("SELECT COUNT(*) FROM passes"));
        Assert.Equal(12L, Scalar("SELECT COUNT(*) FROM layers"));

        var r = Llmpipe.Run("resegment", "--run", "1", "--num-layers", "2", "--db", _db);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("passes 3 -> 6, layers 12 -> 12", r.Stdout);
        Assert.Equal(6L, Scalar("SELECT COUNT(*) FROM passes"));
        Assert.Equal(new long[] { 2, 2, 2, 2, 2, 2 }, Longs("SELECT layer_count FROM passes ORDER BY pass_idx"));
        Assert.Equal(12L, Scalar("SELECT COUNT(*) FROM layers"));
        Assert.Equal(1L, Scalar("SELECT MAX(layer_idx) FROM layers"));
        Assert.Equal(5L, Scalar("SELECT MAX(pass_idx) FROM kernels"));
        Assert.Equal(2L, Scalar("SELECT num_layers FROM runs WHERE run_id = 1"));
        Assert.Equal("--num-layers", Text("SELECT num_layers_source FROM runs WHERE run_id = 1"));
        // Kernel rows intact: same count, same ts/dur per kernel_idx.
        Assert.Equal(kernelsBefore, Kernels());
        // Per-layer kernels match the layers table.
        Assert.Equal(Scalar("SELECT SUM(kernel_count) FROM layers"), Scalar("SELECT COUNT(*) FROM kernels WHERE role = 'layer'"));
        // Perfetto ranges follow (relative ts: Perfetto ns equal the exact ns).
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM passes WHERE perfetto_start_ns <> start_ns OR perfetto_end_ns <> end_ns"));
    }

    [Fact]
    public void Resegment_assigns_phases_to_the_new_passes_again()
    {
        using var dir = new TempDir();
        var trace = dir.File("sglang.json");
        TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.Generic, NumLayers = 4, Passes = 3, WorldSize = 1, Seed = 9, StepAnnotations = StepAnnotationStyle.SGLang }, trace, gzip: false);
        var db = dir.File("p.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db, "--quiet").ExitCode);
        var r = Llmpipe.Run("resegment", "--run", "1", "--num-layers", "2", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var c = new SqliteConnection($"Data Source={db}");
        Assert.Equal(6L, c.ExecuteScalar<long>("SELECT COUNT(*) FROM passes"));
        Assert.Equal(0L, c.ExecuteScalar<long>("SELECT COUNT(*) FROM passes WHERE phase IS NULL OR phase_source IS NULL"));
        Assert.Equal(32L, c.ExecuteScalar<long>("SELECT MIN(batch_size) FROM passes"));
    }

    [Fact]
    public void Resegment_keeps_the_ingest_num_layers_unless_given_and_zero_forgets_it()
    {
        Assert.Equal(0, Llmpipe.Run("resegment", "--run", "1", "--num-layers", "2", "--db", _db).ExitCode);
        var again = Llmpipe.Run("resegment", "--run", "1", "--profile", "generic", "--db", _db);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(6L, Scalar("SELECT COUNT(*) FROM passes")); // --num-layers 2 kept

        var detect = Llmpipe.Run("resegment", "--run", "1", "--num-layers", "0", "--db", _db);
        Assert.True(detect.ExitCode == 0, detect.Stderr);
        Assert.Equal(4L, Scalar("SELECT num_layers FROM runs WHERE run_id = 1")); // detected from the trace again
        Assert.Equal(3L, Scalar("SELECT COUNT(*) FROM passes"));
    }

    [Fact]
    public void Recategorize_with_another_profile_changes_categories_and_rules()
    {
        var normKernels = Scalar("SELECT COUNT(*) FROM kernels WHERE category = 'rmsnorm'");
        Assert.True(normKernels > 0);
        var profile = _dir.File("mine.json");
        File.WriteAllText(profile, """
            { "name": "mine", "anchor_kernel": null, "anchor_role": "opens", "blocks_per_layer": 1, "half_labels": ["full"],
              "default_num_layers": null,
              "category_rules": [ { "pattern": "rms", "category": "my_norm", "label": "My norm", "group": "norm" } ] }
            """);

        var r = Llmpipe.Run("recategorize", "--run", "1", "--profile", profile, "--db", _db);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"{normKernels} changed category", r.Stdout);
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM kernels WHERE category = 'rmsnorm'"));
        Assert.Equal(normKernels, Scalar("SELECT COUNT(*) FROM kernels WHERE category = 'my_norm'"));
        Assert.Equal("mine", Text("SELECT profile FROM runs WHERE run_id = 1"));
        Assert.Equal("my_norm", Text("SELECT category FROM category_rules WHERE run_id = 1 AND rule_order = 0"));
        Assert.Equal("norm", Text("SELECT category_group FROM layer_category_time WHERE run_id = 1 AND category = 'my_norm' LIMIT 1"));
        Assert.Equal(12L, Scalar("SELECT COUNT(*) FROM layers")); // segmentation options kept (--num-layers 4)
    }

    [Fact]
    public void Resegment_with_a_bad_profile_exits_1_and_leaves_the_database_unchanged()
    {
        var before = Snapshot();
        var unknown = Llmpipe.Run("resegment", "--run", "1", "--profile", "no_such_profile", "--num-layers", "2", "--db", _db);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no_such_profile", unknown.Stderr);
        Assert.Contains("generic", unknown.Stderr); // lists the built-ins

        var malformed = _dir.File("bad.json");
        File.WriteAllText(malformed, """{ "name": "bad", "blocks_per_layer": "two" }""");
        var bad = Llmpipe.Run("recategorize", "--run", "1", "--profile", malformed, "--db", _db);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("blocks_per_layer", bad.Stderr);

        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Resegment_back_to_the_ingest_options_restores_every_kernel_label_and_a_repeat_changes_nothing()
    {
        // Resegment rewrites only the kernels whose stored labels differ from the new segmentation (compared in place):
        // going to 2 layers per pass and back must give every kernel the labels the ingest wrote, and a resegment with
        // unchanged options must leave every label as it is.
        const string labels = "SELECT kernel_idx, category, pass_idx, layer_idx, block_idx, half, role FROM kernels ORDER BY device, kernel_idx";
        var ingested = Rows(labels);
        Assert.Equal(0, Llmpipe.Run("resegment", "--run", "1", "--num-layers", "2", "--db", _db).ExitCode);
        var twoLayers = Rows(labels);
        Assert.NotEqual(ingested, twoLayers);
        // 3 passes of 4 layers became 6 passes of 2: the kernels of layers 2 and 3 are layers 0 and 1 of a new pass.
        Assert.Equal(Scalar("SELECT COUNT(*) FROM kernels WHERE role = 'layer'"), Scalar("SELECT COUNT(*) FROM kernels WHERE layer_idx IN (0, 1)"));

        var same = Llmpipe.Run("resegment", "--run", "1", "--num-layers", "2", "--db", _db);
        Assert.True(same.ExitCode == 0, same.Stderr);
        Assert.Contains("passes 6 -> 6, layers 12 -> 12", same.Stdout);
        Assert.Contains(" 0 changed category", same.Stdout);
        Assert.Equal(twoLayers, Rows(labels));

        var back = Llmpipe.Run("resegment", "--run", "1", "--num-layers", "4", "--db", _db);
        Assert.True(back.ExitCode == 0, back.Stderr);
        Assert.Contains("passes 6 -> 3, layers 12 -> 12", back.Stdout);
        Assert.Equal(ingested, Rows(labels));
    }

    [Fact]
    public void Resegment_of_a_missing_run_names_the_valid_runs()
    {
        var r = Llmpipe.Run("resegment", "--run", "7", "--db", _db);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("run 7 does not exist", r.Stderr);
        Assert.Contains("valid run ids: 1", r.Stderr);
    }

    private string Snapshot() => string.Join("\n",
        Rows("SELECT run_id, profile, anchor_kernel, anchor_role, num_layers, options_key FROM runs"),
        Rows("SELECT * FROM passes ORDER BY device, pass_idx"),
        Rows("SELECT * FROM layers ORDER BY device, pass_idx, layer_idx"),
        Rows("SELECT kernel_idx, category, pass_idx, layer_idx, block_idx, half, role FROM kernels ORDER BY device, kernel_idx"),
        Rows("SELECT * FROM category_rules ORDER BY rule_order"),
        Rows("SELECT * FROM anchor_candidates ORDER BY name"),
        Rows("SELECT * FROM ingest_warnings ORDER BY kind"));

    private string Rows(string sql)
    {
        using var c = Open();
        return string.Join("\n", c.Query(sql).Select(row => string.Join("|", ((IDictionary<string, object?>)row).Values)));
    }

    private List<(long Idx, long Ts, long Dur)> Kernels()
    {
        using var c = Open();
        return c.Query<(long, long, long)>("SELECT kernel_idx, ts_ns, dur_ns FROM kernels WHERE run_id = 1 ORDER BY device, kernel_idx").ToList();
    }

    private long Scalar(string sql)
    {
        using var c = Open();
        return c.ExecuteScalar<long>(sql);
    }

    private string? Text(string sql)
    {
        using var c = Open();
        return c.ExecuteScalar<string>(sql);
    }

    private long[] Longs(string sql)
    {
        using var c = Open();
        return c.Query<long>(sql).ToArray();
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection($"Data Source={_db};Pooling=False");
        c.Open();
        return c;
    }
}
