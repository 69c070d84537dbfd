using LlmPipeline.Ingest.Launches;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Storage;

/// <summary>
/// The kernels view over kernel_rows + launch_contexts (schema 4) + kernel_spans and kernel_name_categories (schema 10):
/// writes through it (sql/triggers/kernels.sql) and <see cref="LaunchContexts"/> store each op_name / input_dims / grid /
/// block combination once, NULL matching NULL; a kernel written through the view gets a span of its own, and a kernel
/// deleted or rewritten through it is cut out of its span.
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
    public void Inserts_through_the_view_give_each_kernel_its_own_span_and_its_name_a_category()
    {
        using var dir = new TempDir();
        using var c = LlmDatabase.OpenForWrite(dir.File("k.db"));
        LlmDatabase.Execute(c, """
            INSERT INTO kernel_names (name_id, name, simplified_name) VALUES (1, 'gemm', 'gemm'), (2, 'norm', 'norm');
            INSERT INTO kernels (run_id, device, kernel_idx, ts_ns, dur_ns, name_id, category, pass_idx, layer_idx, block_idx, half, role) VALUES
                (1, 0, 0, 100, 10, 2, 'rmsnorm', 0, 0, 0, 'full', 'layer'),
                (1, 0, 1, 200, 10, 1, 'gemm', 0, 0, 0, 'full', 'layer'),
                (1, 0, 2, 300, 10, 1, 'gemm', NULL, NULL, NULL, NULL, NULL);
            """);
        Assert.Equal(["0|0|0|0|0|full|layer", "1|1|0|0|0|full|layer", "2|2|null|null|null|null|null"],
            Robustness.Ingested.Rows(c, "SELECT first_kernel_idx, last_kernel_idx, pass_idx, layer_idx, block_idx, half, role FROM kernel_spans ORDER BY first_kernel_idx"));
        Assert.Equal(["1|gemm", "2|rmsnorm"], Robustness.Ingested.Rows(c, "SELECT name_id, category FROM kernel_name_categories ORDER BY name_id"));
        Assert.Equal(["0|rmsnorm|0|layer", "1|gemm|0|layer", "2|gemm|null|null"],
            Robustness.Ingested.Rows(c, "SELECT kernel_idx, category, layer_idx, role FROM kernels ORDER BY kernel_idx"));
    }

    [Fact]
    public void Deleting_or_updating_one_kernel_through_the_view_cuts_its_span_around_it()
    {
        using var dir = new TempDir();
        using var c = LlmDatabase.OpenForWrite(dir.File("k.db"));
        // One span of five kernels, as the ingester writes it.
        LlmDatabase.Execute(c, """
            INSERT INTO kernel_names (name_id, name, simplified_name) VALUES (1, 'gemm', 'gemm'), (2, 'norm', 'norm');
            INSERT INTO kernel_rows (run_id, device, kernel_idx, ts_ns, dur_ns, name_id) VALUES
                (1, 0, 0, 100, 10, 1), (1, 0, 1, 200, 10, 2), (1, 0, 2, 300, 10, 1), (1, 0, 3, 400, 10, 2), (1, 0, 4, 500, 10, 1);
            INSERT INTO kernel_spans (run_id, device, first_kernel_idx, last_kernel_idx, pass_idx, layer_idx, block_idx, half, role)
            VALUES (1, 0, 0, 4, 0, 7, 7, 'full', 'layer');
            INSERT INTO kernel_name_categories (run_id, name_id, category) VALUES (1, 1, 'gemm'), (1, 2, 'norm');
            DELETE FROM kernels WHERE kernel_idx = 2;
            UPDATE kernels SET layer_idx = 8 WHERE kernel_idx = 3;
            UPDATE kernels SET category = 'rmsnorm' WHERE kernel_idx = 1;
            """);
        Assert.Equal(["0|0|7", "1|1|7", "3|3|8", "4|4|7"],
            Robustness.Ingested.Rows(c, "SELECT first_kernel_idx, last_kernel_idx, layer_idx FROM kernel_spans ORDER BY first_kernel_idx"));
        // A category belongs to the name in the run: kernel 3 shares kernel 1's name.
        Assert.Equal(["0|7|gemm", "1|7|rmsnorm", "3|8|rmsnorm", "4|7|gemm"],
            Robustness.Ingested.Rows(c, "SELECT kernel_idx, layer_idx, category FROM kernels ORDER BY kernel_idx"));
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
