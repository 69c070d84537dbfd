using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.TestSupport;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>
/// The shipped sample tests/data/sglang_qwen3_8b_decode (SGLang Qwen3-8B decode step; its config.json and the capture
/// trace in capture_traces/ found beside it) ingested with the defaults into a fresh database: run 1. Reading the
/// 1.2 MB capture trace is most of an ingest's time, so the database is built once per test process and copied.
/// </summary>
internal static class SampleIngest
{
    private static readonly CachedDatabase<IngestOutcome> Database = new("sample", db =>
        TraceIngestor.Ingest(new IngestRequest { TracePath = Trace, DbPath = db }));

    /// <summary>The sample trace.</summary>
    public static string Trace => Ingesting.DataFile("sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz");

    /// <summary>
    /// Writes the ingested sample as <paramref name="db"/> in <paramref name="dir"/> (the file <see cref="Ingesting"/>'s
    /// helpers read) and returns the outcome of its ingest, as <c>Ingesting.Run(dir, Trace)</c> would.
    /// </summary>
    public static IngestOutcome CopyTo(TempDir dir, string db = "t.db") => Database.CopyTo(dir.File(db));
}
