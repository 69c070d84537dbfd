using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Writing;

/// <summary>
/// A prepared <c>UPDATE kernel_rows SET category, pass_idx, layer_idx, block_idx, half, role</c> of one kernel of one run,
/// by primary key, reused for every changed kernel of a resegment (one statement, parameters rebound per row).
/// </summary>
internal sealed class KernelLabelUpdate : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _device, _kernelIdx, _category, _pass, _layer, _block, _half, _role;

    /// <summary>Prepares the statement for run <paramref name="runId"/> inside <paramref name="tx"/>.</summary>
    public KernelLabelUpdate(SqliteConnection connection, SqliteTransaction tx, long runId)
    {
        _command = connection.CreateCommand();
        _command.Transaction = tx;
        _command.CommandText = """
            UPDATE kernel_rows SET category = $category, pass_idx = $pass, layer_idx = $layer, block_idx = $block,
                half = $half, role = $role
            WHERE run_id = $run AND device = $device AND kernel_idx = $kernel_idx
            """;
        _command.Parameters.AddWithValue("$run", runId);
        _device = _command.Parameters.Add("$device", SqliteType.Integer);
        _kernelIdx = _command.Parameters.Add("$kernel_idx", SqliteType.Integer);
        _category = _command.Parameters.Add("$category", SqliteType.Text);
        _pass = _command.Parameters.Add("$pass", SqliteType.Integer);
        _layer = _command.Parameters.Add("$layer", SqliteType.Integer);
        _block = _command.Parameters.Add("$block", SqliteType.Integer);
        _half = _command.Parameters.Add("$half", SqliteType.Text);
        _role = _command.Parameters.Add("$role", SqliteType.Text);
        _command.Prepare();
    }

    /// <summary>Updates one kernel; null values become SQL NULL.</summary>
    public void Run(int device, long kernelIdx, string category, long? pass, long? layer, long? block, string? half, string? role)
    {
        _device.Value = device;
        _kernelIdx.Value = kernelIdx;
        _category.Value = category;
        _pass.Value = (object?)pass ?? DBNull.Value;
        _layer.Value = (object?)layer ?? DBNull.Value;
        _block.Value = (object?)block ?? DBNull.Value;
        _half.Value = (object?)half ?? DBNull.Value;
        _role.Value = (object?)role ?? DBNull.Value;
        _command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose() => _command.Dispose();
}
