using System.Runtime.CompilerServices;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Storage;
using SQLitePCL;

namespace LlmPipeline.Ingest.Launches;

/// <summary>
/// Links every kernel to the CPU operator that launched it: the staged <c>cpu_ops</c> row with the kernel's
/// <c>args["External id"]</c> (Kineto writes the same External id on a <c>cpu_op</c> and on the kernels it launches;
/// docs/trace-format.md, 'Launches, correlation and External id'). The CPU operators were spilled to the staging database while the trace
/// streamed by (only their External id and two dictionary ids), so nothing per CPU event is held in memory; the join is
/// one ordered walk of that table against the kernels sorted by External id.
/// </summary>
internal static class LaunchingOps
{
    /// <summary>
    /// Sets <see cref="DeviceKernels.OpNameId"/> and <see cref="DeviceKernels.OpDimsId"/> of <paramref name="kernels"/>
    /// (-1 where a kernel has no External id or no cpu_op carries it).
    /// </summary>
    /// <returns>Kernels with an External id that no staged cpu_op carries.</returns>
    /// <param name="staging">The staging database holding the rank's <c>cpu_ops</c> (written by <see cref="EventNormalizer"/>).</param>
    /// <param name="kernels">One device's kernels.</param>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The staging database cannot be read.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public static int Resolve(StagingDatabase staging, DeviceKernels kernels)
    {
        var n = kernels.Count;
        var names = new PackedIntColumn();
        var dims = new PackedIntColumn();
        names.AddRepeated(-1, n);
        dims.AddRepeated(-1, n);
        kernels.OpNameId = names;
        kernels.OpDimsId = dims;

        // Kineto numbers External ids in launch order, so the kernels usually arrive sorted by them: then no copy is made.
        var linked = 0;
        var sorted = true;
        var last = long.MinValue;
        for (var i = 0; i < n; i++)
        {
            var ext = kernels.ExternalId[i];
            if (ext == long.MinValue) continue;
            linked++;
            if (ext < last) sorted = false;
            last = ext;
        }
        if (linked == 0) return 0;
        var ids = sorted ? null : new long[linked];
        var positions = sorted ? null : new int[linked];
        if (!sorted)
        {
            for (int i = 0, j = 0; i < n; i++)
            {
                var ext = kernels.ExternalId[i];
                if (ext == long.MinValue) continue;
                ids![j] = ext;
                positions![j++] = i;
            }
            Array.Sort(ids!, positions!);
        }
        // The k-th linked kernel in External id order (asked for k = 0, 1, 2...): its External id and its position.
        var next = 0;
        (long Ext, int Position) Linked(int k)
        {
            if (ids is not null) return (ids[k], positions![k]);
            while (kernels.ExternalId[next] == long.MinValue) next++;
            return (kernels.ExternalId[next], next++);
        }
        var first = sorted ? FirstLinked(kernels) : ids![0];
        var lastId = sorted ? last : ids![^1];

        var db = staging.Connection.Handle!;
        var sql = "SELECT external_id, name_id, dims_id FROM cpu_ops WHERE external_id BETWEEN ?1 AND ?2 ORDER BY external_id";
        SqliteNative.Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement), "staging cpu_ops");
        using (statement)
        {
            raw.sqlite3_bind_int64(statement, 1, first);
            raw.sqlite3_bind_int64(statement, 2, lastId);
            var h = statement.DangerousGetHandle();
            var k = 0;
            var found = 0;
            var current = Linked(0);
            int rc;
            while ((rc = SqliteNative.Next(h)) == SqliteNative.Row)
            {
                var ext = SqliteNative.Int64(h, 0)!.Value;
                while (current.Ext < ext)
                {
                    if (++k == linked) return linked - found;
                    current = Linked(k);
                }
                if (current.Ext != ext) continue;
                var name = (int)SqliteNative.Int64(h, 1)!.Value;
                var dim = (int)(SqliteNative.Int64(h, 2) ?? -1);
                while (current.Ext == ext)
                {
                    names.Set(current.Position, name);
                    dims.Set(current.Position, dim);
                    found++;
                    if (++k == linked) return linked - found;
                    current = Linked(k);
                }
            }
            if (rc != SqliteNative.Done) SqliteNative.Check(db, rc, "staging cpu_ops");
            return linked - found;
        }
    }

    private static long FirstLinked(DeviceKernels kernels)
    {
        for (var i = 0; ; i++)
            if (kernels.ExternalId[i] != long.MinValue) return kernels.ExternalId[i];
    }
}
