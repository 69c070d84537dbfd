using System.Text;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Tests.Robustness;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.FieldProblems;

/// <summary>
/// Several processes writing one trace path (sgl-project/sglang#15326, NVIDIA/TensorRT-LLM#3708): whole documents one
/// after another are ingested as the ranks they are; interleaved compressed streams are refused with the byte offset.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SeveralWritersIngestTests
{
    private static FieldTrace Rank(int rank, int passes = 40) => new() { Rank = rank, Passes = passes };

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Fact]
    public void B42a_two_gzip_members_each_a_whole_document_become_ranks_0_and_1_with_all_their_kernels()
    {
        var doc0 = Rank(0).Bytes();
        var doc1 = Rank(1).Bytes();
        using var x = Ingested.Bytes(Concat(Ingested.Gzip(doc0), Ingested.Gzip(doc1)), "f08a_two_docs.json.gz", numLayers: 4);
        Assert.Equal(["1|0|2|1600|40", "2|1|2|1600|40"], x.Rows("""
            SELECT r.run_id, r.rank, r.world_size, r.kernel_count, (SELECT count(*) FROM passes p WHERE p.run_id = r.run_id)
            FROM runs r ORDER BY r.run_id
            """));
        Assert.Equal(["1|1600", "2|1600"], x.Rows("SELECT run_id, count(*) FROM launches GROUP BY run_id"));
        Assert.Equal(1L, x.Scalar<long>("SELECT count(DISTINCT capture_id) FROM runs"));
        Assert.Null(x.Warning("trailing_data"));
        Assert.Equal(["2|" + doc0.Length], x.Rows("SELECT run_id, first_byte_offset FROM ingest_warnings WHERE kind = 'concatenated_documents' AND run_id = 2"));
        Assert.StartsWith("2 whole JSON documents follow one another in this file", x.WarningDetail("concatenated_documents").Split('\n')[0]);
        Assert.Contains("this run holds document 1 (from byte 0 of the decompressed stream), rank 0 by its distributedInfo.rank",
            x.Scalar<string>("SELECT detail FROM ingest_warnings WHERE kind = 'concatenated_documents' AND run_id = 1"));
    }

    [Fact]
    public void B42a_plain_concatenation_of_three_documents_without_ranks_takes_ranks_by_position()
    {
        var docs = new[] { new FieldTrace(), new FieldTrace { Passes = 2 }, new FieldTrace { Passes = 4 } };
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", docs.Select(d => d.Json())));
        using var x = Ingested.Bytes(bytes, numLayers: 4);
        Assert.Equal(["0|120|3|3", "1|80|3|2", "2|160|3|4"],
            x.Rows("SELECT rank, kernel_count, world_size, (SELECT count(*) FROM passes p WHERE p.run_id = r.run_id) FROM runs r ORDER BY rank"));
        Assert.Contains("rank 2 by its position in the file", x.Scalar<string>("SELECT detail FROM ingest_warnings w JOIN runs r USING (run_id) WHERE r.rank = 2 AND w.kind = 'concatenated_documents'"));
    }

    [Fact]
    public void A_stray_event_object_after_the_document_is_trailing_data_not_a_second_document()
    {
        var json = new FieldTrace().Json() + "\n{\"ph\": \"X\", \"cat\": \"kernel\", \"name\": \"stray\", \"ts\": 1, \"dur\": 1}";
        using var x = Ingested.Json(json);
        Assert.Equal(1L, x.Scalar<long>("SELECT count(*) FROM runs"));
        Assert.Equal(120L, x.Scalar<long>("SELECT kernel_count FROM runs"));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(new FieldTrace().Json()) + 1, x.Warning("trailing_data")!.Value.Offset);
        Assert.Null(x.Warning("concatenated_documents"));
    }

    [Fact]
    public void B42b_interleaved_gzip_streams_fail_with_the_byte_offset_and_store_nothing()
    {
        var a = Ingested.Gzip(Rank(0).Bytes());
        var b = Ingested.Gzip(Rank(1).Bytes());
        var mixed = new List<byte>();
        for (var i = 0; i < Math.Max(a.Length, b.Length); i += 4096)
        {
            mixed.AddRange(a.Skip(i).Take(4096));
            mixed.AddRange(b.Skip(i).Take(4096));
        }
        using var dir = new TempDir();
        var path = dir.File("f08b_interleaved.json.gz");
        File.WriteAllBytes(path, [.. mixed]);
        var ex = Assert.Throws<LlmPipeline.Ingest.Reading.TraceFormatException>(() => TraceIngestor.Ingest(new IngestRequest { TracePath = path, DbPath = dir.File("t.db"), Segmentation = new() { NumLayers = 4 } }));
        Assert.Contains("f08b_interleaved.json.gz", ex.Message);
        Assert.Contains("the gzip data is corrupt", ex.Message);
        Assert.Contains("nothing was stored", ex.Message);
        Assert.Matches(@"f08b_interleaved\.json\.gz: byte \d+ \(line \d+, column \d+\): the gzip data is corrupt", ex.Message);
        Assert.False(File.Exists(dir.File("t.db")) && Ingestion.Ingesting.Scalar<long>(dir, "SELECT count(*) FROM runs") > 0);
    }
}
