using Dapper;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Query.Output;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// A read-only connection for reports: runs view queries into <see cref="ResultTable"/>s and checks the run, device,
/// pass and layer a user asked for, with messages that give the valid range (docs/reports.md, 'Passes, layers and ranges').
/// </summary>
public sealed class ReportDatabase : IDisposable
{
    private ReportDatabase(SqliteConnection connection, string path)
    {
        Connection = connection;
        Path = path;
    }

    /// <summary>The open connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>The database path as given.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> read-only.</summary>
    /// <exception cref="DatabaseException">Missing file, not a database, newer schema.</exception>
    public static ReportDatabase Open(string path) => new(LlmDatabase.OpenReadOnly(path), path);

    /// <summary>Runs one query and reads its rows.</summary>
    public ResultTable Query(string sql, object? parameters = null)
    {
        using var reader = Connection.ExecuteReader(sql, parameters);
        return ResultTable.Read(reader);
    }

    /// <summary>Checks that run <paramref name="runId"/> exists.</summary>
    /// <exception cref="QueryException">It does not; the message lists the valid run ids.</exception>
    public long RequireRun(long runId)
    {
        if (Connection.ExecuteScalar<long>("SELECT COUNT(*) FROM runs WHERE run_id = @runId", new { runId }) > 0)
            return runId;
        var ids = Connection.Query<long>("SELECT run_id FROM runs ORDER BY run_id").ToList();
        throw new QueryException(ids.Count == 0
            ? $"run {runId} does not exist: {Path} has no runs; ingest a trace first (llmpipe ingest TRACE --db {Path})"
            : $"run {runId} does not exist in {Path}; valid run ids: {Ranges(ids)}");
    }

    /// <summary>The device to report: <paramref name="device"/> when the run has it, else the run's lowest device.</summary>
    /// <exception cref="QueryException">The run has no such device (message lists its devices) or no kernels.</exception>
    public int ResolveDevice(long runId, int? device)
    {
        var devices = Connection.Query<long>(
            "SELECT DISTINCT device FROM passes WHERE run_id = @runId UNION SELECT DISTINCT device FROM kernel_rows WHERE run_id = @runId ORDER BY 1",
            new { runId }).Select(d => (int)d).ToList();
        if (devices.Count == 0)
            throw new QueryException($"run {runId} has no kernels");
        if (device is null) return devices[0];
        if (!devices.Contains(device.Value))
            throw new QueryException($"device {device} is not in run {runId}; valid devices: {Ranges(devices.Select(d => (long)d).ToList())}");
        return device.Value;
    }

    /// <summary>Checks that the pass has layer <paramref name="layer"/>.</summary>
    /// <exception cref="QueryException">It does not; the message gives the pass's layer range.</exception>
    public void RequireLayer(long runId, int device, int pass, int layer)
    {
        var layers = Connection.Query<long>(
            "SELECT layer_idx FROM layers WHERE run_id = @runId AND device = @device AND pass_idx = @pass ORDER BY layer_idx",
            new { runId, device, pass }).ToList();
        if (layers.Contains(layer)) return;
        throw new QueryException(layers.Count == 0
            ? $"layer {layer} is out of range: run {runId} device {device} pass {pass} has no layers"
            : $"layer {layer} is out of range for run {runId} device {device} pass {pass}: valid layers are {Ranges(layers)}");
    }

    /// <summary>Formats sorted ids as ranges: <c>0..3, 5, 7..9</c>.</summary>
    public static string Ranges(IReadOnlyList<long> sorted)
    {
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j > i ? $"{sorted[i]}..{sorted[j]}" : $"{sorted[i]}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();
}
