using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>
/// Issue 6 acceptance: an ingest stores the same rows (every table, every column but the ingest's own time) whatever
/// the read buffer size (<see cref="IngestRequest.BufferSize"/>: framing, refills, the fast or the validating path of
/// events that straddle a refill) and the rows per kernel insert statement (<see cref="IngestRequest.RowsPerStatement"/>).
/// </summary>
[Trait("Category", "Slow")]
public sealed class IngestSettingsTests
{
    /// <summary>Columns that hold the time of the ingest itself, not anything read from the trace.</summary>
    private static readonly HashSet<string> IngestTimeColumns = ["ingested_at", "created_at"];

    private static readonly (int BufferSize, int RowsPerStatement)[] Settings = [(1 << 20, 64), (4099, 7), (257, 1)];

    [Fact]
    public void Synthetic_deepseek_v3_decode_with_cpu_ops_and_flows_is_stored_identically_whatever_the_buffer_and_batch_sizes()
    {
        using var dir = new TempDir();
        var trace = dir.File("dsv3.json.gz");
        var gen = TraceWriter.WriteFile(new TraceSpec { Shape = TraceShape.DeepSeekV3Decode, Passes = 4, Seed = 5 }, trace, gzip: true);
        var tables = AssertSameRows(dir, trace, config: null);
        // The comparison covered real content: every kernel, launch and layer of the trace.
        Assert.Equal(gen.KernelCount, tables["kernel_rows"]);
        Assert.Equal(gen.KernelCount, tables["launches"]);
        Assert.Equal(4 * 61, tables["layers"]);
    }

    [Fact]
    [Trait("Category", "Corpus")]
    public void Shipped_sglang_decode_trace_is_stored_identically_whatever_the_buffer_and_batch_sizes()
    {
        using var dir = new TempDir();
        var tables = AssertSameRows(dir, Ingesting.DataFile("sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz"),
            Ingesting.DataFile("sglang_qwen3_8b_decode/config.json"));
        Assert.Equal(555, tables["kernel_rows"]);
        Assert.Equal(36, tables["layers"]); // one pass of num_hidden_layers = 36
    }

    [SkippableTheory]
    [Trait("Category", "Corpus")]
    [InlineData("tracelens/h100/Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz")]
    [InlineData("kineto/resnet50_num_workers_0/worker0.pt.trace.json.gz")]
    [InlineData("hta/ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz")]
    public void Real_trace_is_stored_identically_whatever_the_buffer_and_batch_sizes(string relative)
    {
        var trace = SharedData.RequireTrace(relative);
        using var dir = new TempDir();
        var tables = AssertSameRows(dir, trace, config: null);
        Assert.True(tables["kernel_rows"] > 0);
    }

    /// <summary>
    /// Ingests <paramref name="trace"/> once per setting into a database of its own and asserts that every table holds
    /// the same rows (sorted, all columns but <see cref="IngestTimeColumns"/>). Returns the row count per table.
    /// </summary>
    private static Dictionary<string, long> AssertSameRows(TempDir dir, string trace, string? config)
    {
        Dictionary<string, List<string>>? first = null;
        foreach (var (bufferSize, rows) in Settings)
        {
            var db = dir.File($"b{bufferSize}-r{rows}.db");
            TraceIngestor.Ingest(new IngestRequest
            {
                TracePath = trace, DbPath = db, ConfigPath = config, BufferSize = bufferSize, RowsPerStatement = rows,
            });
            var content = Content(db);
            if (first is null)
            {
                first = content;
                continue;
            }
            Assert.Equal(first.Keys.Order(), content.Keys.Order());
            foreach (var (table, expected) in first)
                Assert.True(expected.SequenceEqual(content[table]),
                    $"table {table} differs with a {bufferSize}-byte buffer and {rows} row(s) per statement: " +
                    $"{expected.Count} rows against {content[table].Count}; first difference: " +
                    $"{expected.Except(content[table]).FirstOrDefault() ?? content[table].Except(expected).FirstOrDefault()}");
        }
        return first!.ToDictionary(kv => kv.Key, kv => (long)kv.Value.Count);
    }

    /// <summary>Every table's rows as text, sorted.</summary>
    private static Dictionary<string, List<string>> Content(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        var tables = Column(c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        var content = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            var columns = Column(c, $"SELECT name FROM pragma_table_info('{table}')").Where(n => !IngestTimeColumns.Contains(n)).ToList();
            var select = string.Join(" || '|' || ", columns.Select(n => $"coalesce(quote(\"{n}\"), 'NULL')"));
            content[table] = [.. Column(c, $"SELECT {select} FROM \"{table}\"").Order(StringComparer.Ordinal)];
        }
        return content;
    }

    private static List<string> Column(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var values = new List<string>();
        while (r.Read()) values.Add(r.GetString(0));
        return values;
    }
}
