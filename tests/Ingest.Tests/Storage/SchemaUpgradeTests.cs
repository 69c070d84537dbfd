using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

/// <summary>
/// <see cref="LlmDatabase"/> opening databases of other schema versions: older ones (1, 2) are upgraded in place keeping
/// their rows (version 3 drops the <c>kernels_by_category</c> index), newer ones and files that are not databases are refused.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SchemaUpgradeTests
{
    [Fact]
    public void OpenForWrite_upgrades_a_version_1_database_in_place_keeping_its_rows()
    {
        using var dir = new TempDir();
        var db = dir.File("old.db");
        File.Copy(SharedData.RepoFile("tests/data/fixtures/schema-v1.db"), db);
        using (var c = LlmDatabase.OpenForWrite(db))
        {
            Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(c));
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*), min(time_offset_ns), max(capture_id IS NULL) FROM runs";
            using var r = cmd.ExecuteReader();
            Assert.True(r.Read());
            Assert.Equal(1, r.GetInt64(0));
            Assert.Equal(0, r.GetInt64(1));
            Assert.Equal(1, r.GetInt64(2));
        }
        using var ro = LlmDatabase.OpenReadOnly(db);
        using var q = ro.CreateCommand();
        q.CommandText = "SELECT count(*) FROM kernels";
        Assert.Equal(555L, q.ExecuteScalar());
    }

    /// <summary>
    /// Schema 4 moves the kernels of an older file into kernel_rows + launch_contexts: the kernels view then gives every
    /// row and column the old table held (the v1 fixture: 555 kernels, 8 with an op_name, 11 with a grid), and each
    /// distinct op_name / input_dims / grid / block combination is stored once.
    /// </summary>
    [Fact]
    public void Upgrade_to_4_keeps_every_kernel_column_and_stores_each_launch_context_once()
    {
        using var dir = new TempDir();
        var db = dir.File("old.db");
        File.Copy(SharedData.RepoFile("tests/data/fixtures/schema-v1.db"), db);
        // Every column read from the trace; the segmentation labels move to the model's own layer boundaries (schema 5
        // segments stored runs again), which the assertions at the end check.
        const string all = """
            SELECT run_id, device, kernel_idx, stream, ts_ns, dur_ns, name_id, category, correlation, external_id, grid,
                   block, op_name, input_dims
            FROM kernels ORDER BY run_id, device, kernel_idx
            """;
        const string combos = """
            SELECT count(*) FROM (SELECT DISTINCT op_name, input_dims, grid, block FROM kernels
                                  WHERE COALESCE(op_name, input_dims, grid, block) IS NOT NULL)
            """;
        List<string> before;
        long distinct;
        using (var raw = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            raw.Open();
            before = Robustness.Ingested.Rows(raw, all);
            distinct = Robustness.Ingested.Rows(raw, combos).Select(long.Parse).Single();
        }
        Assert.Equal(555, before.Count);
        using var c = LlmDatabase.OpenForWrite(db);
        Assert.Equal(before, Robustness.Ingested.Rows(c, all));
        Assert.Equal(distinct, long.Parse(Robustness.Ingested.Rows(c, "SELECT count(*) FROM launch_contexts").Single()));
        Assert.Equal(["8|11"], Robustness.Ingested.Rows(c, "SELECT count(op_name), count(grid) FROM kernels"));
        Assert.Equal(["0"], Robustness.Ingested.Rows(c, "SELECT count(*) FROM sqlite_master WHERE name = 'kernels_v3'"));
        // Segmented again without the trace: layer 0 of the SGLang decode step opens with its input norm (kernel 10,
        // add_rmsnorm_quant), 36 layers of 15 kernels, and the parts add up to the pass.
        Assert.Equal(["template"], Robustness.Ingested.Rows(c, "SELECT layer_evidence FROM runs"));
        Assert.Equal(["10|rmsnorm|0"], Robustness.Ingested.Rows(c, "SELECT MIN(kernel_idx), category, layer_idx FROM kernels WHERE layer_idx = 0"));
        Assert.Equal(["36|15"], Robustness.Ingested.Rows(c, "SELECT COUNT(*), MIN(kernel_count) FROM layers"));
        Assert.Equal(["554|554"], Robustness.Ingested.Rows(c, "SELECT (SELECT kernel_count FROM passes), (SELECT SUM(kernel_count) FROM pass_parts)"));
    }

    /// <summary>
    /// Several connections opening one old file at once (two llmpipe processes on a database an older version wrote):
    /// one upgrades it, the others wait for its transaction and find the work done. Before BEGIN IMMEDIATE, a second
    /// upgrader repeated the ALTERs and failed with "duplicate column name: capture_id".
    /// </summary>
    [Fact]
    public void Concurrent_opens_of_an_old_database_upgrade_it_once_and_all_succeed()
    {
        using var dir = new TempDir();
        var db = dir.File("old.db");
        File.Copy(SharedData.RepoFile("tests/data/fixtures/schema-v1.db"), db);
        using var start = new Barrier(4);
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            try { LlmDatabase.OpenForWrite(db).Dispose(); }
            catch (Exception ex) { errors.Add(ex); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        using var c = LlmDatabase.OpenReadOnly(db);
        Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(c));
        Assert.Equal(["555|8"], Robustness.Ingested.Rows(c, "SELECT count(*), count(op_name) FROM kernels"));
    }

    /// <summary>The shipped sample (SGLang Qwen3-8B decode step, its config beside it) ingested into <c>t.db</c> of <paramref name="dir"/>; returns that path.</summary>
    private static string SampleDatabase(TempDir dir)
    {
        Ingestion.SampleIngest.CopyTo(dir);
        return dir.File("t.db");
    }

    /// <summary>
    /// Turns <paramref name="db"/> back into an older schema: drops every view (they name columns the older schema
    /// lacks; the upgrade creates them again), then runs the SQL <paramref name="downgradeSql"/> builds from the open connection.
    /// </summary>
    private static void Downgrade(string db, Func<SqliteConnection, string> downgradeSql)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        var views = Robustness.Ingested.Rows(c, "SELECT name FROM sqlite_master WHERE type = 'view'");
        LlmDatabase.Execute(c, string.Concat(views.Select(v => $"DROP VIEW \"{v}\";")) + Version9Kernels + downgradeSql(c));
    }

    /// <summary>
    /// The kernel rows of schemas 4-9: each row with its category and segmentation labels, and the index on them
    /// (built from the rows, spans and per-name categories of schema 10, which it drops).
    /// </summary>
    private const string Version9Kernels = """
        CREATE TABLE kernel_rows_v9 (
            run_id INTEGER NOT NULL, device INTEGER NOT NULL, kernel_idx INTEGER NOT NULL, stream INTEGER,
            ts_ns INTEGER NOT NULL, dur_ns INTEGER NOT NULL, name_id INTEGER NOT NULL, category TEXT NOT NULL,
            pass_idx INTEGER, layer_idx INTEGER, block_idx INTEGER, half TEXT, role TEXT, correlation INTEGER,
            external_id INTEGER, context_id INTEGER, PRIMARY KEY (run_id, device, kernel_idx)) WITHOUT ROWID;
        INSERT INTO kernel_rows_v9
        SELECT k.run_id, k.device, k.kernel_idx, k.stream, k.ts_ns, k.dur_ns, k.name_id, c.category, s.pass_idx,
               s.layer_idx, s.block_idx, s.half, s.role, k.correlation, k.external_id, k.context_id
        FROM kernel_rows AS k
        JOIN kernel_spans AS s ON s.run_id = k.run_id AND s.device = k.device
                              AND k.kernel_idx BETWEEN s.first_kernel_idx AND s.last_kernel_idx
        JOIN kernel_name_categories AS c ON c.run_id = k.run_id AND c.name_id = k.name_id;
        DROP TABLE kernel_rows; DROP TABLE kernel_spans; DROP TABLE kernel_name_categories;
        ALTER TABLE kernel_rows_v9 RENAME TO kernel_rows;
        CREATE INDEX kernel_rows_by_layer ON kernel_rows(run_id, pass_idx, layer_idx);
        """;

    /// <summary>
    /// An ingested database turned back into schema 2: a <c>kernels</c> table with the four launch texts per row, its
    /// <c>kernels_by_layer</c> and <c>kernels_by_category</c> indexes, no <c>kernel_rows</c> / <c>launch_contexts</c>.
    /// </summary>
    private static string Version2Database(TempDir dir)
    {
        var trace = dir.File("t.json");
        File.WriteAllText(trace, Robustness.Ingested.Trace(
            Robustness.Ingested.Kernel("gemm_a", "1000", "2", 1), Robustness.Ingested.Kernel("gemm_b", "1010", "3", 2)));
        Ingestion.Ingesting.Run(dir, trace);
        var db = dir.File("t.db");
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        var views = Robustness.Ingested.Rows(c, "SELECT name FROM sqlite_master WHERE type = 'view'");
        LlmDatabase.Execute(c, "CREATE TABLE old_kernels AS SELECT * FROM kernels;"
            + string.Concat(views.Select(v => $"DROP VIEW \"{v}\";"))
            + """
              DROP TABLE kernel_rows; DROP TABLE kernel_spans; DROP TABLE kernel_name_categories; DROP TABLE launch_contexts;
              ALTER TABLE old_kernels RENAME TO kernels;
              CREATE INDEX kernels_by_layer ON kernels(run_id, pass_idx, layer_idx);
              CREATE INDEX kernels_by_category ON kernels(run_id, category);
              PRAGMA user_version = 2;
              """);
        Assert.Equal(2, LlmDatabase.UserVersion(c));
        Assert.Equal(1L, IndexCount(c, "kernels_by_category"));
        return db;
    }

    private static long IndexCount(SqliteConnection c, string name)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        return (long)cmd.ExecuteScalar()!;
    }

    private static List<string> KernelRows(SqliteConnection c) =>
        Robustness.Ingested.Rows(c, "SELECT run_id, kernel_idx, correlation, ts_ns, dur_ns FROM kernels ORDER BY kernel_idx");

    [Fact]
    public void OpenForWrite_upgrades_a_version_2_database_dropping_kernels_by_category_and_keeping_its_rows()
    {
        using var dir = new TempDir();
        var db = Version2Database(dir);
        using (var c = LlmDatabase.OpenForWrite(db))
        {
            Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(c));
            Assert.Equal(10, LlmDatabase.SchemaVersion);
            Assert.Equal(0L, IndexCount(c, "kernels_by_category"));
            Assert.Equal(0L, IndexCount(c, "kernels_by_layer")); // gone with the old table
            Assert.Equal(0L, IndexCount(c, "kernel_rows_by_layer")); // schema 10: labels are spans
            Assert.Equal(1L, IndexCount(c, "kernel_spans_by_layer"));
            Assert.Equal(["1|0|1|1000000|2000", "1|1|2|1010000|3000"], KernelRows(c));
            Assert.Equal(["1|2"], Robustness.Ingested.Rows(c, "SELECT run_id, kernel_count FROM runs"));
        }
        using var again = LlmDatabase.OpenForWrite(db); // already at 5: nothing more to do
        Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(again));
        Assert.Equal(0L, IndexCount(again, "kernels_by_category"));
    }

    /// <summary>
    /// A schema-4 database (launch contexts without input_types / module / layer_module, runs without the replay
    /// columns) holding the sample's graph-replay run: the upgrade adds the columns, keeps every kernel's op_name and
    /// input_dims, and the kernels view shows the new columns as NULL until the trace is ingested again.
    /// </summary>
    [Fact]
    public void OpenForWrite_upgrades_a_version_4_database_adding_the_module_and_replay_columns()
    {
        using var dir = new TempDir();
        var db = SampleDatabase(dir);
        Downgrade(db, c =>
        {
            // runs as schema 4 had it: every column before graph_launch_api (DROP COLUMN cannot drop a commented last column)
            var runColumns = Robustness.Ingested.Rows(c, "SELECT name FROM pragma_table_info('runs') WHERE cid < (SELECT cid FROM pragma_table_info('runs') WHERE name = 'graph_launch_api')");
            return $"CREATE TABLE runs_v4 AS SELECT {string.Join(", ", runColumns)} FROM runs; DROP TABLE runs; ALTER TABLE runs_v4 RENAME TO runs;"
                + """
                  ALTER TABLE launch_contexts DROP COLUMN input_types; ALTER TABLE launch_contexts DROP COLUMN module;
                  ALTER TABLE launch_contexts DROP COLUMN layer_module;
                  PRAGMA user_version = 4;
                  """;
        });
        using var upgraded = LlmDatabase.OpenForWrite(db);
        Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(upgraded));
        Assert.Equal(["555|552|552|0|0"], Robustness.Ingested.Rows(upgraded,
            "SELECT count(*), count(op_name), count(input_dims), count(module), count(layer_module) FROM kernels"));
        Assert.Equal(["1|null"], Robustness.Ingested.Rows(upgraded, "SELECT run_id, replay_match FROM run_summary"));
    }

    /// <summary>
    /// A schema-6 database (no config_work) holding the sample's run with its config: the upgrade creates config_work
    /// and fills it from runs.config_json (Qwen3-8B: 36 layers of 2 * 4096 * 47104 FLOPs per token, lm_head
    /// 2 * 4096 * 151936).
    /// </summary>
    [Fact]
    public void OpenForWrite_upgrades_a_version_6_database_filling_config_work_from_the_stored_config()
    {
        using var dir = new TempDir();
        var db = SampleDatabase(dir);
        Downgrade(db, _ => "DROP TABLE config_work; PRAGMA user_version = 6;");
        using var upgraded = LlmDatabase.OpenForWrite(db);
        Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(upgraded));
        Assert.Equal([$"36|{2L * 4096 * 47104}|{2L * 4096 * 47104}", $"1|{2L * 4096 * 151936}|{2L * 4096 * 151936}"], Robustness.Ingested.Rows(upgraded,
            "SELECT count(*), min(flops_per_token), max(flops_per_token) FROM config_work GROUP BY layer_idx >= 0 ORDER BY layer_idx >= 0 DESC"));
    }

    /// <summary>
    /// A schema-7 database of the sample (kernel_work and config_work without the attention columns, no
    /// pass_attention_lengths) whose work rows an older formula wrote: the upgrade computes every kernel_work row again
    /// from the stored launch contexts and config_work from the stored config, and fills the pass's lengths from its
    /// step annotation, so the paged decode attention kernels get 4*32*128*32785 = 537,149,440 FLOPs each.
    /// </summary>
    [Fact]
    public void OpenForWrite_upgrades_a_version_7_database_computing_the_work_again_with_the_new_formulas()
    {
        using var dir = new TempDir();
        var db = SampleDatabase(dir);
        const string work = "SELECT count(*), sum(flops), count(flops_per_sq_sk) FROM kernel_work";
        List<string> current;
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            current = Robustness.Ingested.Rows(c, work);
        }
        Downgrade(db, _ => string.Concat(((string[])["query_tokens", "flops_per_sq_sk", "bytes_per_sq", "bytes_per_sk", "attention_parts"])
                .Select(x => $"ALTER TABLE kernel_work DROP COLUMN {x};"))
            + string.Concat(((string[])["attn_flops_per_sq_sk", "kv_bytes_per_sk", "sliding_window"]).Select(x => $"ALTER TABLE config_work DROP COLUMN {x};"))
            // what an older formula left: every kernel's FLOPs 1, config work 1 per token
            + "UPDATE kernel_work SET flops = 1; UPDATE config_work SET flops_per_token = 1; DROP TABLE pass_attention_lengths; PRAGMA user_version = 7;");
        using var upgraded = LlmDatabase.OpenForWrite(db);
        Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(upgraded));
        Assert.Equal(current, Robustness.Ingested.Rows(upgraded, work));
        Assert.Equal(["36"], Robustness.Ingested.Rows(upgraded, "SELECT count(*) FROM kernel_work WHERE flops_per_sq_sk = 16384"));
        Assert.Equal([$"36|{2L * 4096 * 47104}|{16384}"], Robustness.Ingested.Rows(upgraded,
            "SELECT count(*), min(flops_per_token), max(attn_flops_per_sq_sk) FROM config_work WHERE layer_idx >= 0"));
        Assert.Equal(["0|32|32785|32785"], Robustness.Ingested.Rows(upgraded,
            "SELECT context_sq, generation_sq, generation_sk, generation_sq_sk FROM pass_attention_lengths"));
        Assert.Equal(["36|537149440|134811648"], Robustness.Ingested.Rows(upgraded,
            "SELECT count(*), min(flops), max(bytes) FROM kernel_efficiency WHERE op_class = 'attention'"));
    }

    /// <summary>
    /// Schema 9: the warning catalogue becomes the warning_kinds table, every stored pass note is written again with
    /// the per-phase rule, and every simplified name again (demangled, unique: those of a fresh ingest). The sample holds one decode step: a lone pass is never cold-start, whatever an older build
    /// stored, so the note a version-8 file held ('cold-start', written in by hand here) is cleared.
    /// </summary>
    [Fact]
    public void OpenForWrite_upgrades_a_version_8_database_writing_the_warning_kinds_and_the_pass_notes_again()
    {
        using var dir = new TempDir();
        var db = SampleDatabase(dir);
        List<string> simplified;
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            simplified = Robustness.Ingested.Rows(c, "SELECT name_id, simplified_name FROM kernel_names ORDER BY name_id");
        }
        // what an older build left: every simplified name the same
        Downgrade(db, _ => "DROP TABLE warning_kinds; UPDATE passes SET note = 'cold-start'; UPDATE kernel_names SET simplified_name = 'k'; PRAGMA user_version = 8;");
        using var upgraded = LlmDatabase.OpenForWrite(db);
        Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(upgraded));
        Assert.Equal([$"{WarningCatalog.All.Count}|{WarningCatalog.All.Count(k => k.Severity == WarningSeverity.Info)}"],
            Robustness.Ingested.Rows(upgraded, "SELECT count(*), sum(severity = 'info') FROM warning_kinds"));
        Assert.Equal(["info"], Robustness.Ingested.Rows(upgraded, "SELECT severity FROM warning_kinds WHERE code = 'external_id_without_cpu_op'"));
        Assert.Equal(["1|null"], Robustness.Ingested.Rows(upgraded, "SELECT count(*), max(note) FROM passes"));
        Assert.Equal(simplified, Robustness.Ingested.Rows(upgraded, "SELECT name_id, simplified_name FROM kernel_names ORDER BY name_id"));
        Assert.Equal(["0"], Robustness.Ingested.Rows(upgraded, "SELECT count(*) FROM kernel_names WHERE simplified_name = 'k'"));
    }

    /// <summary>
    /// Schema 10 moves each kernel's category and segmentation labels out of its row: the upgrade of a version-9 file
    /// (the sample: 555 kernels, one decode step of 36 layers) keeps every column the kernels view shows, stores the
    /// labels as the spans a fresh ingest writes (39: kernels outside the pass, prologue, 36 layers, epilogue and
    /// what follows) and one category per kernel name, and drops the old table and its index.
    /// </summary>
    [Fact]
    public void OpenForWrite_upgrades_a_version_9_database_splitting_the_kernel_labels_into_spans_and_name_categories()
    {
        using var dir = new TempDir();
        var db = SampleDatabase(dir);
        const string all = "SELECT * FROM kernels ORDER BY run_id, device, kernel_idx";
        const string spans = "SELECT * FROM kernel_spans ORDER BY run_id, device, first_kernel_idx";
        const string categories = "SELECT * FROM kernel_name_categories ORDER BY run_id, name_id";
        List<string> kernels, freshSpans, freshCategories;
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            (kernels, freshSpans, freshCategories) = (Robustness.Ingested.Rows(c, all), Robustness.Ingested.Rows(c, spans), Robustness.Ingested.Rows(c, categories));
        }
        Downgrade(db, _ => "PRAGMA user_version = 9;");
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            Assert.Equal(["555|1"], Robustness.Ingested.Rows(c, "SELECT count(*), count(DISTINCT run_id) FROM kernel_rows WHERE category IS NOT NULL"));
        }
        using var upgraded = LlmDatabase.OpenForWrite(db);
        Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(upgraded));
        Assert.Equal(555, kernels.Count);
        Assert.Equal(kernels, Robustness.Ingested.Rows(upgraded, all));
        Assert.Equal(39, freshSpans.Count);
        Assert.Equal(freshSpans, Robustness.Ingested.Rows(upgraded, spans));
        Assert.Equal(freshCategories, Robustness.Ingested.Rows(upgraded, categories));
        Assert.Equal(["0|0"], Robustness.Ingested.Rows(upgraded,
            "SELECT (SELECT count(*) FROM sqlite_master WHERE name IN ('kernel_rows_v9', 'kernel_rows_by_layer')), (SELECT count(*) FROM pragma_table_info('kernel_rows') WHERE name = 'category')"));
    }

    /// <summary>A file whose warning_kinds differs from this build's catalogue (a kind's severity changed by hand) is
    /// written again by the next writer, and run_summary counts a kind as a note or a warning by the stored severity.</summary>
    [Fact]
    public void A_stale_warning_kinds_table_is_written_again_and_run_summary_counts_notes_apart_from_warnings()
    {
        using var dir = new TempDir();
        var db = SampleDatabase(dir);
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            LlmDatabase.Execute(c, """
                UPDATE warning_kinds SET severity = 'degraded' WHERE code = 'external_id_without_cpu_op';
                DELETE FROM ingest_warnings WHERE run_id = 1;
                INSERT INTO ingest_warnings (run_id, kind, count, detail) VALUES (1, 'external_id_without_cpu_op', 3, 'x'),
                                                                             (1, 'graph_replay_unattributed', 2, 'y'),
                                                                             (1, 'a_kind_of_a_later_build', 1, 'z');
                """);
        }
        using var upgraded = LlmDatabase.OpenForWrite(db);
        Assert.Equal(["info"], Robustness.Ingested.Rows(upgraded, "SELECT severity FROM warning_kinds WHERE code = 'external_id_without_cpu_op'"));
        Assert.Equal(["2|1"], Robustness.Ingested.Rows(upgraded,
            "SELECT warning_count, note_count FROM run_summary WHERE run_id = 1"));
    }

    [Fact]
    public void OpenReadOnly_of_a_version_2_database_upgrades_it_first()
    {
        using var dir = new TempDir();
        var db = Version2Database(dir);
        using var c = LlmDatabase.OpenReadOnly(db);
        Assert.Equal(LlmDatabase.SchemaVersion, LlmDatabase.UserVersion(c));
        Assert.Equal(0L, IndexCount(c, "kernels_by_category"));
        Assert.Equal(["1|0|1|1000000|2000", "1|1|2|1010000|3000"], KernelRows(c));
    }

    [Fact]
    public void OpenReadOnly_refuses_a_database_from_a_newer_version()
    {
        using var dir = new TempDir();
        var db = dir.File("new.db");
        using (var c = LlmDatabase.OpenForWrite(db))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"PRAGMA user_version = {LlmDatabase.SchemaVersion + 1}";
            cmd.ExecuteNonQuery();
        }
        var ex = Assert.Throws<DatabaseException>(() => LlmDatabase.OpenReadOnly(db));
        Assert.Contains("newer LlmPipeline", ex.Message);
        Assert.Throws<DatabaseException>(() => LlmDatabase.OpenForWrite(db));
    }

    [Fact]
    public void OpenForWrite_refuses_a_file_that_is_not_a_database()
    {
        using var dir = new TempDir();
        var path = dir.File("text.db");
        File.WriteAllText(path, "this is a text file, long enough to not look like an empty database at all............");
        var ex = Assert.Throws<DatabaseException>(() => LlmDatabase.OpenForWrite(path));
        Assert.Contains("not a SQLite database", ex.Message);
        SqliteConnection.ClearAllPools();
    }
}
