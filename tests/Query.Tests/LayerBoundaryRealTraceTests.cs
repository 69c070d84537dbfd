using System.Globalization;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>
/// Layer boundaries on the eight real LLM traces of ../shared, each ingested with its config (or --num-layers) and
/// without. The expectations were read off each trace's kernel sequence by hand: the kernel that opens every layer
/// (its input norm: a norm kernel, or the float cast that starts an eager RMSNorm), the kernel that closes it (the down
/// projection, the MoE finalize, the residual add or the closing all-reduce), the kernels per layer, and the final norm
/// that opens the epilogue before lm_head and sampling. Where module scopes exist, each layer kernel's decoder-layer
/// module must be the layer's own.
/// </summary>
public sealed class LayerBoundaryRealTraceTests
{
    private const string Configs = "configs/aiconfigurator/";

    public static TheoryData<string, string?, int, int, string, string, string, string> Traces() => new()
    {
        // trace, config (or --num-layers N), layers, passes, first / last kernel category of every layer, kernels per layer
        // (a kernel of another stream that starts inside a layer is the layer's: the SGLang traces' one stream-2 kernel),
        // epilogue's first
        { "llm-prof/qwen2-ast-sft-modelv2-kto-na61-a800/ecos-trace-62775-1760450468039310885-7.json.gz", "32", 32, 6, "rmsnorm", "elementwise", "11,12", "rmsnorm" },
        { "tracelens/b200/eager_trace.json.gz", "configs/tenstorrent_tt-metal/models/demos/gpt_oss/configs/gpt-oss-120b/config.json", 36, 1, "rmsnorm", "allreduce", "21", "rmsnorm" },
        { "tracelens/inference/sglang_decode/sglang_Qwen3-8B_decode.json.gz", Configs + "Qwen--Qwen3-8B_config.json", 36, 1, "rmsnorm", "gemm", "15,16", "rmsnorm" },
        { "tracelens/inference/sglang_prefilldecode/sglang_Qwen3-8B_prefilldecode.json.gz", Configs + "Qwen--Qwen3-8B_config.json", 36, 1, "rmsnorm", "gemm", "14,15", "rmsnorm" },
        // gpt-oss-20b: layer 0 lacks the bf16 copy after the QKV GEMM, full-attention (_3d) layers add a reduce.
        { "tracelens/inference/vllm_decode_full/graph_execution.json.gz", Configs + "openai--gpt-oss-20b_config.json", 24, 1, "rmsnorm", "moe", "16,17,18", "rmsnorm" },
        { "tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz", Configs + "openai--gpt-oss-20b_config.json", 24, 1, "rmsnorm", "moe", "16,17", "rmsnorm" },
        // HF eager: the window opens inside layer 13 (its last 8 kernels on H100, 25 on MI300X).
        { "tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", "24", 24, 2, "elementwise", "elementwise", "8,42", "elementwise" },
        { "tracelens/mi300/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", "24", 24, 2, "elementwise", "elementwise", "25,43", "elementwise" },
    };

    [SkippableTheory]
    [Trait("Category", "Corpus")]
    [MemberData(nameof(Traces))]
    public void Every_layer_runs_from_its_input_norm_to_the_next_layers_start_with_and_without_config(
        string trace, string? config, int layers, int passes, string firstCategory, string lastCategory, string kernelsPerLayer, string epilogueFirst)
    {
        var path = SharedData.RequireTrace(trace);
        var options = config is null ? [] : int.TryParse(config, out _) ? new[] { "--num-layers", config } : ["--config", SharedData.RequireConfig(config["configs/".Length..])];
        using var dir = new TempDir();
        var with = dir.File("with.db");
        var without = dir.File("without.db");
        Assert.Equal(0, Llmpipe.Run(["ingest", path, "--db", with, "--quiet", .. options]).ExitCode);
        Assert.Equal(0, Llmpipe.Run("ingest", path, "--db", without, "--quiet").ExitCode);

        foreach (var db in new[] { with, without })
        {
            Assert.Equal(layers.ToString(CultureInfo.InvariantCulture), Scalar(db, "SELECT num_layers FROM runs"));
            Assert.Equal(passes.ToString(CultureInfo.InvariantCulture), Scalar(db, "SELECT COUNT(*) FROM passes"));
            // The first and last kernel of every layer.
            Assert.Equal(firstCategory, Scalar(db, """
                SELECT group_concat(DISTINCT k.category) FROM kernels k
                JOIN (SELECT pass_idx, layer_idx, MIN(kernel_idx) AS i FROM kernels WHERE role = 'layer' GROUP BY pass_idx, layer_idx) f
                  ON f.i = k.kernel_idx
                WHERE NOT (k.pass_idx = 0 AND k.layer_idx = (SELECT MIN(layer_idx) FROM kernels WHERE pass_idx = 0 AND role = 'layer')
                           AND (SELECT is_partial FROM passes WHERE pass_idx = 0) = 1)
                """));
            Assert.Equal(lastCategory, Scalar(db, """
                SELECT group_concat(DISTINCT k.category) FROM kernels k
                JOIN (SELECT pass_idx, layer_idx, MAX(kernel_idx) AS i FROM kernels WHERE role = 'layer' GROUP BY pass_idx, layer_idx) f
                  ON f.i = k.kernel_idx
                """));
            Assert.Equal(kernelsPerLayer, Scalar(db, "SELECT group_concat(n) FROM (SELECT DISTINCT kernel_count AS n FROM layers ORDER BY n)"));
            // The epilogue opens with the final norm and holds the lm_head GEMM (HF generate's windows hold none: their
            // epilogue is the final norm alone).
            Assert.Equal(epilogueFirst, Scalar(db, """
                SELECT group_concat(DISTINCT k.category) FROM kernels k
                JOIN (SELECT pass_idx, MIN(kernel_idx) AS i FROM kernels WHERE role = 'epilogue' GROUP BY pass_idx) e ON e.i = k.kernel_idx
                """));
            Assert.Equal(firstCategory == "rmsnorm" ? "0" : passes.ToString(CultureInfo.InvariantCulture), Scalar(db, """
                SELECT COUNT(*) FROM passes p WHERE NOT EXISTS (
                    SELECT 1 FROM kernels k JOIN category_rules c ON c.run_id = k.run_id AND c.category = k.category
                    WHERE k.pass_idx = p.pass_idx AND k.role = 'epilogue' AND c.category_group = 'gemm')
                """));
            // Prologue + layers + epilogue (+ gaps) = the pass, exactly.
            Assert.Equal("0", Scalar(db, """
                SELECT COUNT(*) FROM passes p
                WHERE p.kernel_count <> (SELECT SUM(kernel_count) FROM pass_parts x WHERE x.pass_idx = p.pass_idx)
                   OR ABS(p.sum_us - (SELECT SUM(sum_us) FROM pass_parts x WHERE x.pass_idx = p.pass_idx)) > 1e-6
                """));
            // Module scopes, where the trace has them, agree: a layer's kernels are in its own decoder-layer module.
            Assert.Equal("0", Scalar(db, """
                SELECT COUNT(*) FROM kernels WHERE role = 'layer' AND layer_module IS NOT NULL
                  AND CAST(substr(layer_module, length(rtrim(layer_module, '0123456789')) + 1) AS INTEGER) <> layer_idx
                """));
        }
        // The config (or a correct --num-layers) changes nothing.
        Assert.Equal(Scalar(with, Labels), Scalar(without, Labels));
    }

    private const string Labels = "SELECT group_concat(coalesce(pass_idx, '-') || ':' || coalesce(layer_idx, '-') || ':' || coalesce(role, '-'), ' ') FROM (SELECT * FROM kernels ORDER BY kernel_idx)";

    private static string Scalar(string db, string sql)
    {
        var r = Llmpipe.Run("sql", sql, "--format", "csv", "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        return lines.Length > 1 ? lines[1].Trim('"') : "";
    }
}

/// <summary>Layer evidence across runs, and traces that are not transformer inference.</summary>
[Trait("Category", "Slow")]
public sealed class LayerEvidenceTests
{
    /// <summary>
    /// The shipped SGLang step gets its boundaries from module scopes (its capture trace's Qwen3DecoderLayer_N scopes),
    /// the shipped vLLM step from its own kernel sequence; comparing them by layer says so.
    /// </summary>
    [Fact]
    public void Compare_by_layer_warns_when_two_runs_boundaries_come_from_different_evidence()
    {
        using var dir = new TempDir();
        var db = dir.File("evidence.db");
        Assert.Equal(0, Llmpipe.Run("ingest", SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz"), "--db", db, "--quiet").ExitCode);
        Assert.Equal(0, Llmpipe.Run("ingest", SharedData.RepoFile("tests/data/vllm_gpt_oss_20b_decode_full/graph_execution.json.gz"), "--db", db, "--quiet").ExitCode);
        var runs = Parse.Csv(Llmpipe.Run("runs", "--format", "csv", "--db", db).Stdout);
        Assert.Equal(["module_scopes", "template"], runs.Select(r => r["layer_evidence"]));

        var byType = Llmpipe.Run("compare", "--run", "1", "--run", "2", "--by", "layer-type", "--db", db);
        Assert.Equal(0, byType.ExitCode);
        Assert.Contains("warning: the runs' layer boundaries come from different kinds of evidence (run 1: module_scopes, run 2: template)", byType.Stderr);
        var byGroup = Llmpipe.Run("compare", "--run", "1", "--run", "2", "--by", "group", "--db", db);
        Assert.DoesNotContain("kinds of evidence", byGroup.Stderr);
    }

    /// <summary>
    /// A run ingested with a profile file keeps that profile when its module scopes segment it again at ingest (the
    /// shipped SGLang step: its capture trace gives every layer kernel its decoder-layer module).
    /// </summary>
    [Fact]
    public void A_profile_file_given_at_ingest_is_kept_when_module_scopes_set_the_boundaries()
    {
        using var dir = new TempDir();
        var profile = dir.File("myprof.json");
        File.WriteAllText(profile, File.ReadAllText(SharedData.RepoFile("src/Analysis/Profiles/generic.json"))
            .Replace("\"name\": \"generic\"", "\"name\": \"myprof\"", StringComparison.Ordinal));
        var db = dir.File("p.db");
        var r = Llmpipe.Run("ingest", SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz"), "--profile", profile, "--db", db, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var run = Parse.Csv(Llmpipe.Run("sql", "SELECT profile, profile_reason, layer_evidence, num_layers FROM runs", "--format", "csv", "--db", db).Stdout).Single();
        Assert.Equal("myprof", run["profile"]);
        Assert.Equal($"--profile {profile}", run["profile_reason"]);
        Assert.Equal("module_scopes", run["layer_evidence"]);
        Assert.Equal("36", run["num_layers"]);
    }

    /// <summary>
    /// DDP and ResNet training traces have no transformer layers: passes are kept (one per training step), no layer is
    /// invented (1001 and 161 per pass before), and the run says why. Their backward kernels are marked.
    /// </summary>
    [SkippableTheory]
    [InlineData("hta/df_index_resolver/df_index_resolver.json.gz", 5)]
    [InlineData("kineto/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz", 6)]
    public void Traces_without_transformer_structure_keep_their_passes_and_get_no_layers(string trace, int passes)
    {
        var path = SharedData.RequireTrace(trace);
        using var dir = new TempDir();
        var db = dir.File("cnn.db");
        Assert.Equal(0, Llmpipe.Run("ingest", path, "--db", db, "--quiet").ExitCode);
        var row = Parse.Csv(Llmpipe.Run("sql", """
            SELECT (SELECT COUNT(*) FROM passes) AS passes, (SELECT COUNT(*) FROM layers) AS layers,
                   (SELECT COUNT(*) FROM kernels WHERE role = 'layer') AS layer_kernels, r.num_layers, r.layer_evidence,
                   (SELECT COUNT(*) FROM ingest_warnings WHERE kind = 'no_layer_structure') AS warned,
                   (SELECT COUNT(*) FROM pass_parts WHERE part NOT IN ('unsegmented', 'backward')) AS other_parts
            FROM runs r
            """, "--format", "csv", "--db", db).Stdout).Single();
        Assert.Equal(passes.ToString(CultureInfo.InvariantCulture), row["passes"]);
        Assert.Equal("0", row["layers"]);
        Assert.Equal("0", row["layer_kernels"]);
        Assert.Equal("0", row["num_layers"]);
        Assert.Equal("none", row["layer_evidence"]);
        Assert.Equal("1", row["warned"]);
        Assert.Equal("0", row["other_parts"]);
        var runs = Llmpipe.Run("runs", "--format", "csv", "--db", db).Stdout;
        Assert.Contains("no transformer layer structure found", runs);
    }

    /// <summary>
    /// DeepSeek-V3 training (one DualPipe chunk, forward and backward): the forward layers are kept (the attention
    /// kernel gives them: 4 MoE layers), and the backward kernels (FlashAttnBwd, ln_bwd, swiglu_backward, ...) are
    /// never part of them.
    /// </summary>
    [SkippableFact]
    public void A_training_step_keeps_its_forward_layers_and_its_backward_kernels_get_role_backward()
    {
        var path = SharedData.RequireTrace("deepseek-profile-data/train.json");
        using var dir = new TempDir();
        var db = dir.File("train.db");
        Assert.Equal(0, Llmpipe.Run("ingest", path, "--db", db, "--quiet").ExitCode);
        var row = Parse.Csv(Llmpipe.Run("sql", """
            SELECT (SELECT num_layers FROM runs) AS layers,
                   (SELECT COUNT(*) FROM kernels k JOIN kernel_names n ON n.name_id = k.name_id
                     WHERE k.role = 'layer' AND (n.name LIKE '%bwd%' OR n.name LIKE '%backward%')) AS backward_in_layers,
                   (SELECT COUNT(*) FROM kernels k JOIN kernel_names n ON n.name_id = k.name_id
                     WHERE k.role = 'backward' AND n.name LIKE '%FlashAttnBwd<%') AS flash_bwd,
                   (SELECT COUNT(*) FROM kernels WHERE role = 'backward') AS backward,
                   (SELECT COUNT(*) FROM kernels k JOIN kernel_names n ON n.name_id = k.name_id
                     WHERE k.role = 'layer' AND n.name LIKE '%compute_attn_ws%') AS forward_attention
            """, "--format", "csv", "--db", db).Stdout).Single();
        Assert.Equal("4", row["layers"]);
        Assert.Equal("0", row["backward_in_layers"]);
        Assert.Equal("4", row["flash_bwd"]);
        Assert.Equal("60", row["backward"]);
        Assert.Equal("4", row["forward_attention"]);
    }
}
