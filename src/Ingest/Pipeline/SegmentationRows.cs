using Dapper;
using LlmPipeline.Analysis.Segmentation;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Pipeline;

/// <summary>
/// Writes a device's segmentation (the <c>passes</c>, <c>layers</c> and <c>anchor_candidates</c> rows) for one run.
/// Used at ingest (into the staging database) and by <c>resegment</c> (into the user's database).
/// </summary>
public static class SegmentationRows
{
    /// <summary>Inserts the pass, layer and anchor-candidate rows of <paramref name="result"/>.</summary>
    public static void Write(SqliteConnection connection, SqliteTransaction? tx, long runId, int device, SegmentationResult result)
    {
        connection.Execute("""
            INSERT INTO passes (run_id, device, pass_idx, start_ns, end_ns, wall_us, sum_us, busy_us, idle_us,
                exposed_comm_us, kernel_count, layer_count, is_partial, note, phase)
            VALUES ($RunId, $Device, $PassIdx, $StartNs, $EndNs, $WallUs, $SumUs, $BusyUs, $IdleUs,
                $ExposedCommUs, $KernelCount, $LayerCount, $IsPartial, $Note, $Phase)
            """,
            result.Passes.Select(p => new
            {
                RunId = runId, Device = device, p.PassIdx, p.StartNs, p.EndNs, p.WallUs, p.SumUs, p.BusyUs, p.IdleUs,
                p.ExposedCommUs, p.KernelCount, p.LayerCount, IsPartial = p.IsPartial ? 1 : 0, p.Note, p.Phase,
            }), tx);
        connection.Execute("""
            INSERT INTO layers (run_id, device, pass_idx, layer_idx, layer_type, compress_ratio, start_ns, end_ns,
                wall_us, sum_us, busy_us, idle_us, exposed_comm_us, kernel_count, comm_count)
            VALUES ($RunId, $Device, $PassIdx, $LayerIdx, $LayerType, $CompressRatio, $StartNs, $EndNs,
                $WallUs, $SumUs, $BusyUs, $IdleUs, $ExposedCommUs, $KernelCount, $CommCount)
            """,
            result.Layers.Select(l => new
            {
                RunId = runId, Device = device, l.PassIdx, l.LayerIdx, l.LayerType, l.CompressRatio, l.StartNs, l.EndNs,
                l.WallUs, l.SumUs, l.BusyUs, l.IdleUs, l.ExposedCommUs, l.KernelCount, l.CommCount,
            }), tx);
        connection.Execute("""
            INSERT OR REPLACE INTO anchor_candidates (run_id, device, name, occurrences, per_layer, regularity, coverage,
                implied_layers, chosen)
            VALUES ($RunId, $Device, $Name, $Occurrences, $PerLayer, $Regularity, $Coverage, $ImpliedLayers, $Chosen)
            """,
            result.Candidates.Select(c => new
            {
                RunId = runId, Device = device, c.Name, c.Occurrences, c.PerLayer, c.Regularity, c.Coverage,
                c.ImpliedLayers, Chosen = c.Chosen ? 1 : 0,
            }), tx);
    }

    /// <summary>Deletes a run's segmentation rows (before a resegment writes new ones).</summary>
    public static void Delete(SqliteConnection connection, SqliteTransaction? tx, long runId)
    {
        foreach (var table in new[] { "passes", "layers", "anchor_candidates" })
            connection.Execute($"DELETE FROM {table} WHERE run_id = $runId", new { runId }, tx);
    }
}
