using System.Globalization;
using System.IO.Compression;
using System.Text;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Tests.Robustness;

/// <summary>
/// One minimal trace built in a test, ingested through the full pipeline (<see cref="TraceIngestor"/>) into a fresh
/// database, with helpers to read the stored rows back.
/// </summary>
internal sealed class Ingested : IDisposable
{
    private readonly TempDir _dir = new();

    private Ingested() { }

    public string Db => _dir.File("t.db");
    public string TracePath { get; private set; } = "";
    public IngestOutcome Outcome { get; private set; } = null!;

    public static Ingested Json(string json, string fileName = "t.json", bool strict = false) =>
        Bytes(Encoding.UTF8.GetBytes(json), fileName, strict);

    public static Ingested Bytes(byte[] bytes, string fileName = "t.json", bool strict = false, int? numLayers = null)
    {
        var x = new Ingested();
        x.TracePath = x._dir.File(fileName);
        File.WriteAllBytes(x.TracePath, bytes);
        try
        {
            x.Outcome = TraceIngestor.Ingest(new IngestRequest
            {
                TracePath = x.TracePath, DbPath = x.Db, Strict = strict, Segmentation = new() { NumLayers = numLayers },
            });
            x.AssertKindsInCatalogue();
        }
        catch
        {
            x.Dispose();
            throw;
        }
        return x;
    }

    /// <summary>Writes <paramref name="bytes"/> as <paramref name="fileName"/> in a fresh folder and ingests it; the exception escapes.</summary>
    public static Exception Failure(byte[] bytes, string fileName = "t.json", bool strict = false)
    {
        using var dir = new TempDir();
        var path = dir.File(fileName);
        File.WriteAllBytes(path, bytes);
        var ex = Record(() => TraceIngestor.Ingest(new IngestRequest { TracePath = path, DbPath = dir.File("t.db"), Strict = strict }));
        return ex ?? throw new InvalidOperationException("the ingest did not fail");
    }

    private static Exception? Record(Action a)
    {
        try { a(); return null; } catch (Exception ex) { return ex; }
    }

    public T Scalar<T>(string sql)
    {
        using var c = LlmDatabase.OpenReadOnly(Db);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var v = cmd.ExecuteScalar();
        return (T)Convert.ChangeType(v!, typeof(T), CultureInfo.InvariantCulture);
    }

    public bool IsNull(string sql)
    {
        using var c = LlmDatabase.OpenReadOnly(Db);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar() is null or DBNull;
    }

    /// <summary>Every row of a query, each row's columns joined with '|', NULL as "null".</summary>
    public List<string> Rows(string sql)
    {
        using var c = LlmDatabase.OpenReadOnly(Db);
        return Rows(c, sql);
    }

    public static List<string> Rows(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            var cols = new string[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++)
                cols[i] = r.IsDBNull(i) ? "null" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)!;
            list.Add(string.Join("|", cols));
        }
        return list;
    }

    /// <summary>The ingest_warnings row of <paramref name="kind"/> as (count, first_byte_offset), or null when absent.</summary>
    public (long Count, long? Offset)? Warning(string kind)
    {
        using var c = LlmDatabase.OpenReadOnly(Db);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count, first_byte_offset FROM ingest_warnings WHERE kind = $k";
        cmd.Parameters.AddWithValue("$k", kind);
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1));
    }

    /// <summary>The ingest_warnings row of <paramref name="kind"/> as (count, first_byte_offset), or null when absent.</summary>
    public (long Count, long? Offset)? Warning(WarningKind kind) => Warning(kind.Code);

    public string WarningDetail(string kind) => Scalar<string>($"SELECT detail FROM ingest_warnings WHERE kind = '{kind}'");

    public List<string> WarningKinds() => Rows("SELECT kind FROM ingest_warnings ORDER BY kind");

    /// <summary>
    /// Every kind the ingest stored is in the warning catalogue, and so in docs/warnings.md (issue 18): checked on every
    /// input a test builds, the field-problem inputs among them.
    /// </summary>
    /// <exception cref="Xunit.Sdk.XunitException">A stored kind the catalogue does not list.</exception>
    private void AssertKindsInCatalogue()
    {
        var unknown = Rows("SELECT DISTINCT kind FROM ingest_warnings").Where(k => WarningCatalog.Find(k) is null).ToList();
        if (unknown.Count > 0)
            throw new Xunit.Sdk.XunitException($"ingest stored warning kinds that WarningCatalog does not list: {string.Join(", ", unknown)}");
    }

    public void Dispose() => _dir.Dispose();

    // ---- builders ----

    /// <summary>A Kineto kernel event (ts/dur in µs as written).</summary>
    public static string Kernel(string name, string ts, string dur = "2", long? correlation = null, int stream = 7, int device = 0, string pid = "0") =>
        $"{{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"{name}\",\"pid\":{pid},\"tid\":{stream},\"ts\":{ts},\"dur\":{dur},\"args\":{{\"device\":{device},\"stream\":{stream}"
        + (correlation is long c ? $",\"correlation\":{c}" : "") + "}}";

    /// <summary>A cudaLaunchKernel runtime event.</summary>
    public static string Launch(long correlation, string ts, string name = "cudaLaunchKernel") =>
        $"{{\"ph\":\"X\",\"cat\":\"cuda_runtime\",\"name\":\"{name}\",\"pid\":100,\"tid\":100,\"ts\":{ts},\"dur\":3,\"args\":{{\"correlation\":{correlation},\"External id\":{correlation + 5000}}}}}";

    /// <summary>A cpu_op event.</summary>
    public static string CpuOp(string name, string ts, string dur = "10", long? externalId = null) =>
        $"{{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"{name}\",\"pid\":100,\"tid\":100,\"ts\":{ts},\"dur\":{dur}"
        + (externalId is long e ? $",\"args\":{{\"External id\":{e}}}" : "") + "}";

    public static string Trace(params string[] events) => "{\"traceEvents\":[" + string.Join(",\n", events) + "]}";

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    public static int Offset(string json, string fragment)
    {
        var i = json.IndexOf(fragment, StringComparison.Ordinal);
        if (i < 0) throw new ArgumentException($"'{fragment}' not in the trace");
        return Encoding.UTF8.GetByteCount(json.AsSpan(0, i));
    }
}
