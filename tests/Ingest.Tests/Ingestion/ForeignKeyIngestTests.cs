using LlmPipeline.Ingest.Tests.Robustness;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>
/// Ingest writes a run with foreign-key enforcement off (an enforced key costs a statement journal per multi-row insert),
/// so the one foreign key, <c>kernels.name_id</c> → <c>kernel_names</c>, must hold by construction: every kernel's name id
/// names its kernel, across runs that share some names and add others.
/// </summary>
public sealed class ForeignKeyIngestTests
{
    [Fact]
    public void Every_kernel_name_id_refers_to_its_name_across_runs_that_share_and_add_names()
    {
        using var dir = new TempDir();
        var a = dir.File("a.json");
        var b = dir.File("b.json");
        File.WriteAllText(a, Ingested.Trace(Ingested.Kernel("gemm_a", "1000", "2", 1), Ingested.Kernel("norm", "1010", "2", 2)));
        File.WriteAllText(b, Ingested.Trace(Ingested.Kernel("norm", "2000", "2", 1), Ingested.Kernel("gemm_b", "2010", "2", 2), Ingested.Kernel("gemm_a", "2020", "2", 3)));
        Ingesting.Run(dir, a);
        Ingesting.Run(dir, b);

        Assert.Equal(0L, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM pragma_foreign_key_check('kernels')"));
        Assert.Equal(3L, Ingesting.Scalar<long>(dir, "SELECT count(*) FROM kernel_names"));
        Assert.Equal("1:gemm_a,norm|2:norm,gemm_b,gemm_a", Ingesting.Scalar<string>(dir, """
            SELECT group_concat(names, '|') FROM (
                SELECT k.run_id || ':' || group_concat(n.name, ',') AS names
                FROM (SELECT * FROM kernels ORDER BY run_id, kernel_idx) AS k JOIN kernel_names AS n USING (name_id)
                GROUP BY k.run_id ORDER BY k.run_id)
            """));
    }
}
