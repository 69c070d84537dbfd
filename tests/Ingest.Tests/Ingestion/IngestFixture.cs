using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>Helpers shared by the ingest pipeline tests: a temp database, an ingest call, and scalar queries.</summary>
internal static class Ingesting
{
    public static IngestOutcome Run(TempDir dir, string trace, string? config = null, string? profile = null, int? numLayers = null, bool force = false, string db = "t.db")
        => TraceIngestor.Ingest(new IngestRequest
        {
            TracePath = trace,
            DbPath = dir.File(db),
            ConfigPath = config,
            Profile = profile,
            Segmentation = new() { NumLayers = numLayers },
            Force = force,
        });

    public static T Scalar<T>(TempDir dir, string sql, string db = "t.db")
    {
        using var c = LlmDatabase.OpenReadOnly(dir.File(db));
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var v = cmd.ExecuteScalar();
        return (T)Convert.ChangeType(v!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<string> Strings(TempDir dir, string sql, string db = "t.db")
    {
        using var c = LlmDatabase.OpenReadOnly(dir.File(db));
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.IsDBNull(0) ? "NULL" : r.GetString(0));
        return list;
    }

    public static List<long> Longs(TempDir dir, string sql, string db = "t.db")
    {
        using var c = LlmDatabase.OpenReadOnly(dir.File(db));
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<long>();
        while (r.Read()) list.Add(r.GetInt64(0));
        return list;
    }

    public static string DataFile(string relative) => SharedData.RepoFile(Path.Combine("tests", "data", relative));
}
