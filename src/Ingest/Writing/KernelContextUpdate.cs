using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Writing;

/// <summary>
/// A prepared <c>UPDATE kernel_rows SET context_id</c> of one kernel of one run, by primary key: gives a stored kernel
/// another launch context (its op, shapes, input types and modules, found after the kernel rows were written: from
/// capture traces, module scopes or layer annotations). One statement, parameters rebound per kernel.
/// </summary>
internal sealed class KernelContextUpdate : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _context, _device, _kernelIdx;

    /// <summary>Prepares the statement for run <paramref name="runId"/> inside <paramref name="tx"/>.</summary>
    public KernelContextUpdate(SqliteConnection connection, SqliteTransaction tx, long runId)
    {
        _command = connection.CreateCommand();
        _command.Transaction = tx;
        _command.CommandText = "UPDATE kernel_rows SET context_id = $context WHERE run_id = $run AND device = $device AND kernel_idx = $idx";
        _command.Parameters.AddWithValue("$run", runId);
        _context = _command.Parameters.Add("$context", SqliteType.Integer);
        _device = _command.Parameters.Add("$device", SqliteType.Integer);
        _kernelIdx = _command.Parameters.Add("$idx", SqliteType.Integer);
        _command.Prepare();
    }

    /// <summary>Points kernel (<paramref name="device"/>, <paramref name="kernelIdx"/>) at launch context <paramref name="contextId"/> (null: none).</summary>
    public void Run(long device, long kernelIdx, long? contextId)
    {
        _context.Value = contextId is long id ? id : DBNull.Value;
        _device.Value = device;
        _kernelIdx.Value = kernelIdx;
        _command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Dispose() => _command.Dispose();
}
