using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DuckDB.NET.Data;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>`llmpipe export` and the portable views (issue 8): the Parquet export round-trips through DuckDB.</summary>
[Trait("Category", "Slow")]
public sealed class ExportCommandTests : IClassFixture<SampleDatabaseFixture>
{
    private readonly SampleDatabaseFixture _sample;

    public ExportCommandTests(SampleDatabaseFixture sample) => _sample = sample;

    [Fact]
    public void Export_parquet_then_every_view_in_DuckDB_returns_the_same_rows_as_in_SQLite()
    {
        var compared = EveryViewMatchesInDuckDb(_sample.Path);
        // Views the sample fills (mtp_blocks and rank_layer_skew need MTP layers and several ranks, so they are empty here).
        foreach (var view in new[] { "run_summary", "pass_timeline", "layer_detail", "layer_kernels", "layer_clusters", "kernel_summary", "perfetto_ranges" })
            Assert.Contains(view, compared);
    }

    /// <summary>
    /// The config-derived work, attention included, computes the same in DuckDB: the sample without its capture traces
    /// (every layer's GEMMs and paged attention from config.json and the step annotation's lengths), and the shipped vLLM
    /// gpt-oss decode step (sliding-window and full attention layers).
    /// </summary>
    [Fact]
    public void Config_derived_efficiency_views_return_the_same_rows_in_DuckDB()
    {
        using var dir = new TempDir();
        var db = dir.File("config.db");
        var none = Directory.CreateDirectory(dir.File("none")).FullName;
        var sample = SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz");
        Assert.Equal(0, Llmpipe.Run("ingest", sample, "--capture-traces", none, "--db", db, "--quiet").ExitCode);
        Assert.Equal(0, Llmpipe.Run("ingest", SharedData.RepoFile("tests/data/vllm_gpt_oss_20b_decode_full/graph_execution.json.gz"),
            "--config", SharedData.RepoFile("tests/data/vllm_gpt_oss_20b_decode_full/config.json"), "--db", db, "--quiet").ExitCode);
        Assert.Equal(["config"], Llmpipe.SqlCsv(db, "SELECT DISTINCT flops_source FROM layer_efficiency WHERE layer_idx = 1").Select(r => r["flops_source"]));
        var compared = EveryViewMatchesInDuckDb(db);
        foreach (var view in new[] { "layer_efficiency", "pass_efficiency" })
            Assert.Contains(view, compared);
    }

    /// <summary>Exports <paramref name="db"/> to Parquet, creates every view over it in DuckDB and asserts that each returns
    /// SQLite's rows; returns the views that have rows.</summary>
    private static List<string> EveryViewMatchesInDuckDb(string db)
    {
        using var dir = new TempDir();
        var r = Llmpipe.Run("export", "--format", "parquet", "--out", dir.Path, "--db", db);
        Assert.True(r.ExitCode == 0, r.Stderr);

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        foreach (var table in TableNames())
        {
            var partitioned = Directory.Exists(Path.Combine(dir.Path, table, "run_id=1"));
            var glob = Path.Combine(dir.Path, table, partitioned ? "*/*.parquet" : "*.parquet");
            Execute(duck, $"CREATE VIEW {table} AS SELECT * FROM read_parquet('{glob}', hive_partitioning = {(partitioned ? "true" : "false")})");
        }
        foreach (var (name, sql) in SqlResources.Views)
        {
            try { Execute(duck, sql); }
            catch (Exception ex) { Assert.Fail($"DuckDB cannot create view {name} from sql/views/{name}.sql: {ex.Message}"); }
        }

        using var lite = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        lite.Open();
        var compared = new List<string>();
        foreach (var (name, _) in SqlResources.Views)
        {
            var expected = Rows(lite.CreateCommand(), $"SELECT * FROM \"{name}\"");
            var actual = Rows(duck.CreateCommand(), $"SELECT * FROM \"{name}\"");
            if (expected.Count > 0) compared.Add(name);
            Assert.True(expected.Count == actual.Count, $"view {name}: SQLite {expected.Count} rows, DuckDB {actual.Count}");
            for (var i = 0; i < expected.Count; i++)
                AssertRowEqual(name, expected[i], actual[i]);
        }
        return compared;
    }

    [Fact]
    public void Export_parquet_keeps_integer_ns_exact_and_partitions_by_run()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Llmpipe.Run("export", "--out", dir.Path, "--run", "2", "--db", _sample.Path).ExitCode);
        Assert.True(File.Exists(Path.Combine(dir.Path, "kernels", "run_id=2", "part-0.parquet")));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "kernels", "run_id=1")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "kernel_names", "part-0.parquet")));

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var cmd = duck.CreateCommand();
        cmd.CommandText = $"SELECT typeof(ts_ns), typeof(dur_us), typeof(name), SUM(ts_ns), COUNT(*), MIN(run_id) FROM " +
                          $"(SELECT k.ts_ns, 0.0::DOUBLE + p.wall_us AS dur_us, 'x' AS name, k.run_id FROM read_parquet('{dir.Path}/kernels/*/*.parquet', hive_partitioning = true) k, " +
                          $"read_parquet('{dir.Path}/passes/*/*.parquet', hive_partitioning = true) p) GROUP BY ALL";
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("BIGINT", reader.GetString(0));
        Assert.Equal("DOUBLE", reader.GetString(1));

        using var lite = new SqliteConnection($"Data Source={_sample.Path};Mode=ReadOnly");
        lite.Open();
        using var q = lite.CreateCommand();
        q.CommandText = "SELECT SUM(ts_ns), COUNT(*) FROM kernels WHERE run_id = 2";
        using var lr = q.ExecuteReader();
        lr.Read();
        var passes = Convert.ToInt64(Scalar(lite, "SELECT COUNT(*) FROM passes WHERE run_id = 2"), CultureInfo.InvariantCulture);
        Assert.Equal((BigInteger)lr.GetInt64(0) * passes, ToBig(reader.GetValue(3)));
        Assert.Equal(lr.GetInt64(1) * passes, Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture));
        Assert.Equal(2L, Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Export_csv_and_jsonl_write_the_pass_timeline_of_each_run()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Llmpipe.Run("export", "--format", "csv", "--out", dir.File("csv"), "--db", _sample.Path).ExitCode);
        Assert.Equal(0, Llmpipe.Run("export", "--format", "jsonl", "--out", dir.File("jsonl"), "--db", _sample.Path).ExitCode);
        using var lite = new SqliteConnection($"Data Source={_sample.Path};Mode=ReadOnly");
        lite.Open();
        var durationMs = Convert.ToDouble(Scalar(lite, "SELECT duration_ms FROM pass_timeline WHERE run_id = 1 AND pass_idx = 0"), CultureInfo.InvariantCulture);

        var csv = Parse.Csv(File.ReadAllText(Path.Combine(dir.File("csv"), "pass_timeline", "run_id=1", "part-0.csv")));
        Assert.Single(csv);
        Assert.False(csv[0].ContainsKey("run_id"));
        Assert.Equal(durationMs, Parse.D(csv[0]["duration_ms"]));

        var lines = File.ReadAllLines(Path.Combine(dir.File("jsonl"), "pass_timeline", "run_id=2", "part-0.jsonl"));
        Assert.Single(lines);
        using var doc = JsonDocument.Parse(lines[0]);
        Assert.Equal(durationMs, doc.RootElement.GetProperty("duration_ms").GetDouble());
        Assert.Equal(0, doc.RootElement.GetProperty("pass_idx").GetInt64());
    }

    [Fact]
    public void Export_of_a_missing_run_is_an_error_listing_the_valid_runs()
    {
        using var dir = new TempDir();
        var r = Llmpipe.Run("export", "--out", dir.Path, "--run", "9", "--db", _sample.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("run 9 does not exist", r.Stderr);
        Assert.Contains("valid run ids: 1..2", r.Stderr);
    }

    private static IEnumerable<string> TableNames()
    {
        using var c = new SqliteConnection("Data Source=:memory:");
        c.Open();
        Execute(c, SqlResources.Schema);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'";
        using var reader = cmd.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static void Execute(System.Data.Common.DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static BigInteger ToBig(object v) => v switch
    {
        BigInteger b => b,
        long l => l,
        decimal d => new BigInteger(d),
        _ => BigInteger.Parse(Convert.ToString(v, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
    };

    /// <summary>Rows with values normalized (integers → long, floats → double), sorted by a rounded key.</summary>
    private static List<object?[]> Rows(System.Data.Common.DbCommand cmd, string sql)
    {
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = Normalize(reader.IsDBNull(i) ? null : reader.GetValue(i));
            rows.Add(row);
        }
        cmd.Dispose();
        return rows.OrderBy(SortKey, StringComparer.Ordinal).ToList();
    }

    private static object? Normalize(object? v) => v switch
    {
        null => null,
        long or int or short or sbyte or byte or ushort or uint => Convert.ToInt64(v, CultureInfo.InvariantCulture),
        ulong u => (long)u,
        BigInteger b => (long)b,
        decimal d when d == decimal.Truncate(d) => (long)d,
        decimal d => (double)d,
        float f => (double)f,
        double d => d,
        string s => s,
        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    private static string SortKey(object?[] row) => string.Join("\u0001", row.Select(v => v switch
    {
        null => "\u0000",
        double d => d.ToString("G8", CultureInfo.InvariantCulture),
        long l => ((double)l).ToString("G8", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
    }));

    private static void AssertRowEqual(string view, object?[] expected, object?[] actual)
    {
        Assert.True(expected.Length == actual.Length, $"view {view}: {expected.Length} columns in SQLite, {actual.Length} in DuckDB");
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            var same = (e, a) switch
            {
                (null, null) => true,
                (long x, long y) => x == y,
                (double or long, double or long) => Close(Convert.ToDouble(e, CultureInfo.InvariantCulture), Convert.ToDouble(a, CultureInfo.InvariantCulture)),
                _ => Equals(e, a),
            };
            Assert.True(same, $"view {view} column {i}: SQLite {Show(e)}, DuckDB {Show(a)}\n  SQLite row: {string.Join(" | ", expected.Select(Show))}\n  DuckDB row: {string.Join(" | ", actual.Select(Show))}");
        }
    }

    private static bool Close(double x, double y) => x == y || Math.Abs(x - y) <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y));

    private static string Show(object? v) => v is null ? "NULL" : $"{Convert.ToString(v, CultureInfo.InvariantCulture)} ({v.GetType().Name})";
}
