using LlmPipeline.Ingest.Launches;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

/// <summary>
/// The kernels view over kernel_rows + launch_contexts (schema 4): writes through it (sql/triggers/kernels.sql) and
/// <see cref="LaunchContexts"/> store each op_name / input_dims / grid / block combination once, NULL matching NULL.
/// </summary>
public sealed class KernelsViewTests
{
    private const string Insert = """
        INSERT INTO kernel_names (name_id, name, simplified_name) VALUES (1, 'gemm', 'gemm');
        INSERT INTO kernels (run_id, device, kernel_idx, ts_ns, dur_ns, name_id, category, grid, block, op_name, input_dims) VALUES
            (1, 0, 0, 100, 10, 1, 'gemm', '[1, 1, 1]', '[128, 1, 1]', 'aten::mm', '[[2, 3]]'),
            (1, 0, 1, 200, 10, 1, 'gemm', '[1, 1, 1]', '[128, 1, 1]', 'aten::mm', '[[2, 3]]'),
            (1, 0, 2, 300, 10, 1, 'gemm', '[1, 1, 1]', '[128, 1, 1]', 'aten::mm', NULL),
            (1, 0, 3, 400, 10, 1, 'gemm', NULL, NULL, NULL, NULL);
        """;

    [Fact]
    public void Inserts_through_the_view_store_each_combination_once_and_read_back_unchanged()
    {
        using var dir = new TempDir();
        using var c = LlmDatabase.OpenForWrite(dir.File("k.db"));
        LlmDatabase.Execute(c, Insert);
        Assert.Equal(["1|[1, 1, 1]|[128, 1, 1]|aten::mm|[[2, 3]]", "2|[1, 1, 1]|[128, 1, 1]|aten::mm|null"],
            Robustness.Ingested.Rows(c, "SELECT context_id, grid, block, op_name, input_dims FROM launch_contexts ORDER BY context_id"));
        Assert.Equal(["0|1", "1|1", "2|2", "3|null"], Robustness.Ingested.Rows(c, "SELECT kernel_idx, context_id FROM kernel_rows ORDER BY kernel_idx"));
        Assert.Equal(["2|aten::mm|null", "3|null|null"], Robustness.Ingested.Rows(c, "SELECT kernel_idx, op_name, input_dims FROM kernels WHERE kernel_idx >= 2 ORDER BY kernel_idx"));
    }

    [Fact]
    public void Update_and_delete_through_the_view_reach_kernel_rows()
    {
        using var dir = new TempDir();
        using var c = LlmDatabase.OpenForWrite(dir.File("k.db"));
        LlmDatabase.Execute(c, Insert + """
            UPDATE kernels SET input_dims = '[[2, 3]]', dur_ns = 11 WHERE kernel_idx = 2;
            UPDATE kernels SET op_name = 'aten::bmm' WHERE kernel_idx = 3;
            DELETE FROM kernels WHERE kernel_idx = 0;
            """);
        Assert.Equal(["1|1|10", "2|1|11", "3|3|10"], Robustness.Ingested.Rows(c, "SELECT kernel_idx, context_id, dur_ns FROM kernel_rows ORDER BY kernel_idx"));
        Assert.Equal(["3|null|null|null|aten::bmm"], Robustness.Ingested.Rows(c, "SELECT context_id, grid, block, input_dims, op_name FROM launch_contexts WHERE context_id = 3"));
    }

    [Fact]
    public void LaunchContexts_finds_what_the_view_added_and_adds_what_is_missing()
    {
        using var dir = new TempDir();
        using var c = LlmDatabase.OpenForWrite(dir.File("k.db"));
        LlmDatabase.Execute(c, Insert);
        using (var tx = c.BeginTransaction())
        using (var contexts = new LaunchContexts(c, tx))
        {
            Assert.Equal(1, contexts.IdOf("aten::mm", "[[2, 3]]", "[1, 1, 1]", "[128, 1, 1]"));
            Assert.Equal(2, contexts.IdOf("aten::mm", null, "[1, 1, 1]", "[128, 1, 1]"));
            Assert.Null(contexts.IdOf(null, null, null, null));
            Assert.Equal(3, contexts.IdOf(null, null, "[2, 1, 1]", null));
            Assert.Equal(3, contexts.IdOf(null, null, "[2, 1, 1]", null)); // remembered, not added twice
            tx.Commit();
        }
        Assert.Equal(["3"], Robustness.Ingested.Rows(c, "SELECT count(*) FROM launch_contexts"));
    }
}
