using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Captures;

public sealed class CaptureTimeAlignerTests
{
    private static readonly TraceSpec Spec = new() { Shape = TraceShape.Generic, NumLayers = 4, Passes = 3, WorldSize = 2, IncludeCpuSide = false };

    private static void Write(TraceSpec spec, string path, bool dropBaseTime)
    {
        using var ms = new MemoryStream();
        TraceWriter.Write(spec, ms);
        var text = Encoding.UTF8.GetString(ms.ToArray());
        if (dropBaseTime) text = Regex.Replace(text, @"\s*""baseTimeNanoseconds"": \d+,", "");
        File.WriteAllText(path, text);
    }

    private static (List<long> Offsets, List<string> How) IngestPair(TempDir dir, TraceSpec rank0, TraceSpec rank1, bool dropBaseTime)
    {
        var files = new[] { dir.File("cap-TP-0.trace.json"), dir.File("cap-TP-1.trace.json") };
        Write(rank0, files[0], dropBaseTime);
        Write(rank1, files[1], dropBaseTime);
        var outcome = TraceIngestor.IngestGroup(files.Select(f => new IngestRequest { TracePath = f, DbPath = dir.File("t.db"), Segmentation = new() { NumLayers = 4 } }).ToList());
        Assert.NotNull(outcome.Capture?.CaptureId);
        using var c = LlmDatabase.OpenForWrite(dir.File("t.db"));
        var rows = c.Query<(long Offset, string How)>("SELECT time_offset_ns, time_alignment FROM runs ORDER BY rank").ToList();
        return (rows.Select(r => r.Offset).ToList(), rows.Select(r => r.How).ToList());
    }

    [Fact]
    public void Align_uses_base_time_when_ranks_have_one_and_reports_the_collective_residual()
    {
        using var dir = new TempDir();
        var (offsets, how) = IngestPair(dir, Spec with { Rank = 0 },
            Spec with { Rank = 1, BaseTimeNanoseconds = Spec.BaseTimeNanoseconds + 5_000_000_000 }, dropBaseTime: false);
        Assert.Equal([0L, 5_000_000_000L], offsets);
        Assert.StartsWith("reference (rank 0)", how[0]);
        Assert.StartsWith("base_time_ns; collective ends then differ by", how[1]);
    }

    [Fact]
    public void Align_without_base_time_matches_collective_end_times()
    {
        using var dir = new TempDir();
        // Rank 1's clock starts its work 2 ms later; its collectives must line up with rank 0's.
        var (offsets, how) = IngestPair(dir, Spec with { Rank = 0 },
            Spec with { Rank = 1, StartOffsetNs = Spec.StartOffsetNs + 2_000_000 }, dropBaseTime: true);
        Assert.Equal(0L, offsets[0]);
        Assert.InRange(offsets[1], -2_000_000L - 100_000, -2_000_000L + 100_000);
        // 3 passes x (1 prologue AllReduce + 2 per layer x 4 layers + 1 AllGather) = 30 collectives.
        Assert.Equal("collective end times (median over 30 matched collectives)", how[1]);
    }
}
