using System.Text;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>
/// The files of a group are parked (kernel and segmentation rows on disk, run-local name ids and launch-context
/// numbers) while the next file is read, then copied into the user's database with the database's ids. Every row must
/// equal what the same files give when each is ingested alone, its kernels written from memory: same kernel names,
/// launch contexts and their ids, kernels, passes, layers, work, attribution and phases. Only what the group adds differs
/// (capture, rank, world size, phase from the name, time offset, the rank warnings).
/// </summary>
[Trait("Category", "Slow")]
public sealed class ParkedRunTests
{
    /// <summary>Every row of the tables a run fills, ordered, with the group-only columns and kinds left out.</summary>
    private static string Rows(string db)
    {
        using var c = LlmDatabase.OpenReadOnly(db);
        var sb = new StringBuilder();
        var groupOnly = new HashSet<string>(StringComparer.Ordinal) { "ingested_at", "capture_id", "rank", "world_size", "phase", "time_offset_ns", "time_alignment" };
        var tables = new List<string>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('captures', 'sqlite_sequence') ORDER BY name";
            using var r = cmd.ExecuteReader();
            while (r.Read()) tables.Add(r.GetString(0));
        }
        foreach (var table in tables)
        {
            using var cmd = c.CreateCommand();
            // Rowid tables in insertion order; the others in key order.
            cmd.CommandText = $"SELECT * FROM \"{table}\"" + (table == "ingest_warnings"
                ? " WHERE kind NOT IN ('rank_conflict', 'rank_unknown', 'rank_duplicate', 'capture_missing_ranks')" : "");
            using var r = cmd.ExecuteReader();
            var rows = 0;
            while (r.Read())
            {
                sb.Append(table).Append(':');
                for (var i = 0; i < r.FieldCount; i++)
                    if (!groupOnly.Contains(r.GetName(i))) sb.Append(r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                sb.Append('\n');
                rows++;
            }
            sb.Append(table).Append(" rows: ").Append(rows).Append('\n');
        }
        return sb.ToString();
    }

    private static void AssertSameRowsAsAlone(TempDir dir, string[] files, string? captureTraces = null)
    {
        var group = TraceIngestor.IngestGroup(files.Select(f => new IngestRequest { TracePath = f, DbPath = dir.File("group.db"), CaptureTraces = captureTraces }).ToList());
        Assert.All(group.Files, f => Assert.False(f.Outcome!.AlreadyPresent));
        Assert.NotNull(group.Capture);
        foreach (var f in files) TraceIngestor.Ingest(new IngestRequest { TracePath = f, DbPath = dir.File("alone.db"), CaptureTraces = captureTraces });
        var (parked, alone) = (Rows(dir.File("group.db")), Rows(dir.File("alone.db")));
        Assert.Contains("kernel_rows:2|", parked);
        Assert.Equal(alone, parked);
    }

    [Fact]
    public void A_group_stores_the_same_rows_as_its_files_ingested_one_by_one_from_memory()
    {
        using var dir = new TempDir();
        var spec = new TraceSpec { Shape = TraceShape.Generic, NumLayers = 2, Passes = 3, WorldSize = 2 };
        var files = new[] { dir.File("g-TP-0.trace.json"), dir.File("g-TP-1.trace.json") };
        TraceWriter.WriteFile(spec with { Rank = 0 }, files[0], gzip: false);
        TraceWriter.WriteFile(spec with { Rank = 1, Seed = 77 }, files[1], gzip: false);
        AssertSameRowsAsAlone(dir, files);
    }

    [SkippableFact]
    public void A_group_of_real_graph_replay_traces_stores_the_same_rows_as_the_files_alone()
    {
        // Two vLLM replay traces of one model share kernel names and launch contexts: the second file's ids are
        // those of the first where they repeat, and new ones follow in the order its kernels use them.
        var full = SharedData.RequireTrace("tracelens/inference/vllm_decode_full/graph_execution.json.gz");
        var piecewise = SharedData.RequireTrace("tracelens/inference/vllm_prefilldecode_piecewise/graph_execution.json.gz");
        using var dir = new TempDir();
        var captures = Directory.CreateDirectory(dir.File("captures")).FullName;
        foreach (var name in new[] { "vllm_decode_full", "vllm_prefilldecode_piecewise" })
        {
            var folder = Directory.CreateDirectory(Path.Combine(captures, name)).FullName;
            foreach (var capture in Directory.GetFiles(SharedData.RequireCapture("tracelens/" + name)))
                File.Copy(capture, Path.Combine(folder, Path.GetFileName(capture)));
        }
        var files = new[] { dir.File("vllm-TP-0.json.gz"), dir.File("vllm-TP-1.json.gz") };
        File.Copy(full, files[0]);
        File.Copy(piecewise, files[1]);
        AssertSameRowsAsAlone(dir, files, captures);
        using var c = new SqliteConnection($"Data Source={dir.File("group.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM runs WHERE replay_attributed > 0";
        Assert.Equal(2L, (long)cmd.ExecuteScalar()!);
    }
}
