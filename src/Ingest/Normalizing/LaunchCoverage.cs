using Dapper;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Storage;

namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// Launch coverage (docs/messy-traces.md, B11; kineto #996, pytorch #192021): how many kernel launches
/// (<c>cudaLaunchKernel</c>, <c>cudaGraphLaunch</c>, <c>hipModuleLaunchKernel</c>, <c>cuLaunchKernel</c>... by
/// correlation id) have at least one kernel event with the same correlation. A profiler that dropped kernel records
/// leaves launches without kernels and reports that look complete but are not. Launches left without a kernel by
/// kernels that report correlation 0 (<see cref="ZeroCorrelationKernels"/>) are theirs, not dropped: no warning when
/// those kernels account for every unmatched launch.
/// </summary>
public static class LaunchCoverage
{
    /// <summary>How many unmatched correlation ids the warning lists.</summary>
    public const int ListedIds = 10;

    /// <summary>
    /// Counts distinct launch correlations in the staged <c>launches</c> table and those without a kernel, and adds
    /// one <see cref="WarningCatalog.LaunchesWithoutKernel"/> warning (count = unmatched launches) saying "launch coverage M/N (P%)" and listing the
    /// first <see cref="ListedIds"/> unmatched correlation ids in launch order.
    /// </summary>
    /// <param name="staging">The staging database (launches written, transaction open).</param>
    /// <param name="kernelCorrelations">Correlation ids of every kernel event seen (kept or set aside), sorted ascending.</param>
    /// <param name="warnings">Where the warning goes.</param>
    /// <returns>(launches with a kernel, launches).</returns>
    /// <param name="zeroCorrelation">The kernels with correlation 0 (unknown), or null: launches they most likely belong to are no dropped records.</param>
    public static (long Matched, long Total) Check(StagingDatabase staging, long[] kernelCorrelations, WarningLog warnings, ZeroCorrelationKernels? zeroCorrelation = null)
    {
        ArgumentNullException.ThrowIfNull(staging);
        ArgumentNullException.ThrowIfNull(warnings);
        var launches = staging.Connection.Query<long>("""
            SELECT correlation FROM launches
            WHERE correlation IS NOT NULL AND correlation <> 0
              AND (name LIKE '%LaunchKernel%' OR name LIKE '%KernelLaunch%' OR name LIKE '%GraphLaunch%' OR name LIKE '%LaunchCooperativeKernel%')
            GROUP BY correlation ORDER BY min(ts_ns), correlation
            """, transaction: staging.Transaction, buffered: false);
        long total = 0, matched = 0;
        var unmatched = new List<long>();
        foreach (var c in launches)
        {
            total++;
            if (Array.BinarySearch(kernelCorrelations, c) >= 0) matched++;
            else if (unmatched.Count < ListedIds) unmatched.Add(c);
        }
        var zero = zeroCorrelation?.Count ?? 0;
        if (total > matched && total - matched > zero)
        {
            var percent = (100.0 * matched / total).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
            var explained = zero > 0 ? $"; {zero} of them most likely belong to the kernels with correlation 0 ({zeroCorrelation!.Names()}), the other {total - matched - zero} are missing" : "";
            warnings.Add(WarningCatalog.LaunchesWithoutKernel, null,
                $"launch coverage {matched}/{total} ({percent}%): {total - matched} kernel launch(es) have no kernel event (the profiler dropped kernel records, kineto #996){explained}; first unmatched correlation ids: {string.Join(", ", unmatched)}",
                total - matched);
        }
        return (matched, total);
    }
}
