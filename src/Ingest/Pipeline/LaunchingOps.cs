using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Storage;

namespace LlmPipeline.Ingest.Pipeline;

/// <summary>
/// Links every kernel to the CPU operator that launched it: the staged <c>cpu_ops</c> row with the kernel's
/// <c>args["External id"]</c> (Kineto writes the same External id on a <c>cpu_op</c> and on the kernels it launches;
/// reference-scripts.md, kineto-format.md). The CPU operators were spilled to the staging database while the trace
/// streamed by (only their External id and two dictionary ids), so nothing per CPU event is held in memory; the join is
/// one ordered walk of that table against the kernels sorted by External id.
/// </summary>
internal static class LaunchingOps
{
    /// <summary>
    /// Sets <see cref="DeviceKernels.OpNameId"/> and <see cref="DeviceKernels.OpDimsId"/> of <paramref name="kernels"/>
    /// (-1 where a kernel has no External id or no cpu_op carries it).
    /// </summary>
    /// <param name="staging">The staging database holding the rank's <c>cpu_ops</c> (written by <see cref="EventNormalizer"/>).</param>
    /// <param name="kernels">One device's kernels.</param>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The staging database cannot be read.</exception>
    public static void Resolve(StagingDatabase staging, DeviceKernels kernels)
    {
        var n = kernels.Count;
        var names = new int[n];
        var dims = new int[n];
        Array.Fill(names, -1);
        Array.Fill(dims, -1);
        kernels.OpNameId = names;
        kernels.OpDimsId = dims;

        var linked = 0;
        for (var i = 0; i < n; i++)
            if (kernels.ExternalId[i] != long.MinValue) linked++;
        if (linked == 0) return;
        var ids = new long[linked];
        var positions = new int[linked];
        for (int i = 0, j = 0; i < n; i++)
        {
            var ext = kernels.ExternalId[i];
            if (ext == long.MinValue) continue;
            ids[j] = ext;
            positions[j++] = i;
        }
        Array.Sort(ids, positions);

        using var cmd = staging.Connection.CreateCommand();
        cmd.Transaction = staging.Transaction;
        cmd.CommandText = "SELECT external_id, name_id, dims_id FROM cpu_ops WHERE external_id BETWEEN $first AND $last ORDER BY external_id";
        cmd.Parameters.AddWithValue("$first", ids[0]);
        cmd.Parameters.AddWithValue("$last", ids[^1]);
        using var reader = cmd.ExecuteReader();
        var k = 0;
        while (k < linked && reader.Read())
        {
            var ext = reader.GetInt64(0);
            while (k < linked && ids[k] < ext) k++;
            if (k == linked || ids[k] != ext) continue;
            var name = reader.GetInt32(1);
            var dim = reader.IsDBNull(2) ? -1 : reader.GetInt32(2);
            for (; k < linked && ids[k] == ext; k++)
            {
                names[positions[k]] = name;
                dims[positions[k]] = dim;
            }
        }
    }
}
