using LlmPipeline.Ingest.Tests.Robustness;
using Xunit;

namespace LlmPipeline.Ingest.Tests.Ingestion;

/// <summary>
/// Through the full ingest: every kernel gets the name and <c>Input Dims</c> of the cpu_op with its External id
/// (<c>kernels.op_name</c>, <c>kernels.input_dims</c>), whether the kernels' External ids come in increasing order or
/// not; a kernel without External id, or whose External id no cpu_op carries, gets NULL; of two cpu_ops with one
/// External id the first in the file wins; a cpu_op without <c>Input Dims</c> gives NULL dims and its name.
/// </summary>
public sealed class LaunchingOpLinkIngestTests
{
    private static string CpuOp(string name, int ts, long externalId, string? inputDims = null) =>
        $"{{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"{name}\",\"pid\":100,\"tid\":100,\"ts\":{ts},\"dur\":4,\"args\":{{\"External id\":{externalId}"
        + (inputDims is null ? "" : $",\"Input Dims\":{inputDims}") + "}}";

    private static string Kernel(string name, int ts, long? externalId) =>
        $"{{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"{name}\",\"pid\":0,\"tid\":7,\"ts\":{ts},\"dur\":3,\"args\":{{\"device\":0,\"stream\":7"
        + (externalId is long e ? $",\"External id\":{e}" : "") + "}}";

    /// <summary>
    /// The kernels (name, External id) with their start times: in <paramref name="increasing"/> order the External ids
    /// rise with time (the no-copy path of the join), else the kernel with External id 3 starts (and is written) first.
    /// </summary>
    private static string LinkTrace(bool increasing)
    {
        (string Name, long? Ext, int Ts)[] kernels = increasing
            ? [("k_ext1", 1, 1000), ("k_ext1b", 1, 1005), ("k_noext", null, 1010), ("k_ext3", 3, 1020), ("k_ext4", 4, 1030), ("k_ext5", 5, 1040), ("k_ext6", 6, 1050), ("k_ext9", 9, 1070)]
            : [("k_ext3", 3, 1000), ("k_ext1", 1, 1010), ("k_noext", null, 1020), ("k_ext4", 4, 1030), ("k_ext5", 5, 1040), ("k_ext6", 6, 1050), ("k_ext1b", 1, 1060), ("k_ext9", 9, 1070)];
        var events = new List<string>
        {
            CpuOp("aten::mm", 990, 1, "[[2, 3], [3, 4]]"),
            CpuOp("aten::unused", 991, 2, "[[8]]"),      // no kernel carries External id 2
            CpuOp("aten::add", 992, 3, "[[5], [5]]"),
            CpuOp("aten::first", 993, 5, "[[1]]"),        // External id 5 twice: this one is first in the file
        };
        events.AddRange(kernels.OrderBy(k => k.Ts).Select(k => Kernel(k.Name, k.Ts, k.Ext)));
        events.Add(CpuOp("aten::second", 989, 5, "[[9]]")); // later in the file, earlier in time: ignored
        events.Add(CpuOp("aten::nodims", 994, 6));          // written after its kernel, no "Input Dims"
        return Ingested.Trace([.. events]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Kernels_get_the_op_name_and_input_dims_of_the_cpu_op_with_their_External_id(bool increasing)
    {
        using var x = Ingested.Json(LinkTrace(increasing));
        Assert.Equal(
        [
            "k_ext1|1|aten::mm|[[2,3],[3,4]]",
            "k_ext1b|1|aten::mm|[[2,3],[3,4]]",
            "k_ext3|3|aten::add|[[5],[5]]",
            "k_ext4|4|null|null",          // no cpu_op has External id 4
            "k_ext5|5|aten::first|[[1]]",  // first cpu_op in the file with External id 5
            "k_ext6|6|aten::nodims|null",  // cpu_op without Input Dims
            "k_ext9|9|null|null",          // beyond every cpu_op's External id
            "k_noext|null|null|null",      // no External id
        ], x.Rows("SELECT n.name, k.external_id, k.op_name, k.input_dims FROM kernels k JOIN kernel_names n USING (name_id) ORDER BY n.name"));
        Assert.Equal(8L, x.Scalar<long>("SELECT kernel_count FROM runs"));
        // k_ext4 and k_ext9 name External ids no cpu_op has; k_noext has none and is not counted.
        Assert.Equal((2L, (long?)null), x.Warning("external_id_without_cpu_op"));
        Assert.StartsWith("2 of 8 kernels carry an External id that no cpu_op of the trace has", x.WarningDetail("external_id_without_cpu_op"), StringComparison.Ordinal);
    }

    [Fact]
    public void Kernels_written_before_the_one_with_a_smaller_External_id_are_stored_in_start_order_with_their_own_ops()
    {
        using var x = Ingested.Json(LinkTrace(increasing: false));
        Assert.Equal(
        [
            "0|1000000|k_ext3|aten::add",
            "1|1010000|k_ext1|aten::mm",
            "2|1020000|k_noext|null",
            "3|1030000|k_ext4|null",
            "4|1040000|k_ext5|aten::first",
            "5|1050000|k_ext6|aten::nodims",
            "6|1060000|k_ext1b|aten::mm",
            "7|1070000|k_ext9|null",
        ], x.Rows("SELECT k.kernel_idx, k.ts_ns, n.name, k.op_name FROM kernels k JOIN kernel_names n USING (name_id) ORDER BY k.kernel_idx"));
    }
}
