using System.Runtime.CompilerServices;
using System.Text;
using LlmPipeline.Ingest.Reading;

namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// What ingest needs to know about the runtime events (<c>cuda_runtime</c> / <c>cuda_driver</c> and the other backends' runtime categories) it spills to the
/// staging <c>launches</c> table, kept as they stream by so that the usual trace needs no SQL pass over them: the
/// correlation ids of kernel launches (for <see cref="LaunchCoverage"/>, with their ts and External ids: 12 bytes per launch as Kineto numbers them, in <see cref="PackedLongColumn"/>s) and whether the rows could
/// hold exact duplicates at all. Kineto numbers correlation ids in increasing order, so a file whose runtime events all
/// carry strictly increasing correlation ids cannot repeat a row; a concatenated or merged file
/// (docs/messy-traces.md, B24) breaks the order and gets the full duplicate check.
/// </summary>
public sealed class LaunchLedger
{
    private byte[] _lastName = [];
    private bool _lastIsLaunch;
    private bool _lastIsGraphLaunch;
    private bool _lastIsCaptureCall;
    private long _lastCorrelation = long.MinValue;

    /// <summary>Graph launches seen (names containing <c>GraphLaunch</c>): their kernels are graph replays (docs/messy-traces.md, B26).</summary>
    public long GraphLaunches { get; private set; }

    /// <summary>Kernel launches seen that are not graph launches (<c>cudaLaunchKernel</c>, <c>hipExtModuleLaunchKernel</c>, …), with a correlation id.</summary>
    public long KernelLaunches { get; private set; }

    /// <summary>Kernel launches seen (names as <see cref="IsKernelLaunch"/>), graph launches included, with a correlation id.</summary>
    public long AllLaunches => KernelLaunches + GraphLaunches;

    /// <summary>
    /// Stream-capture calls seen (names containing <c>GetCaptureInfo</c> or <c>BeginCapture</c>:
    /// <c>cudaStreamGetCaptureInfo</c>, <c>hipStreamBeginCapture</c>, …), made while a CUDA/HIP graph is captured.
    /// </summary>
    public long CaptureCalls { get; private set; }

    /// <summary>The name of the first stream-capture call seen, null when none.</summary>
    public string? CaptureCallName { get; private set; }

    /// <summary>Correlation ids of kernel launches (names as <see cref="IsKernelLaunch"/>), in file order.</summary>
    public PackedLongColumn LaunchCorrelations { get; } = new();

    /// <summary>Per kernel launch (parallel to <see cref="LaunchCorrelations"/>): its <c>ts</c>, ns.</summary>
    public PackedLongColumn LaunchTsNs { get; } = new();

    /// <summary>Per kernel launch: its External id (the launching cpu_op's), <see cref="long.MinValue"/> when absent.</summary>
    public PackedLongColumn LaunchExternalIds { get; } = new();

    /// <summary>Correlation ids of graph launches (few: one per replay).</summary>
    public HashSet<long> GraphLaunchCorrelations { get; } = [];

    /// <summary>True while <see cref="LaunchCorrelations"/> is strictly increasing (Kineto's order), so it can be binary searched in place.</summary>
    public bool LaunchesSorted { get; private set; } = true;

    /// <summary>False while every runtime event seen had a correlation id greater than the one before it.</summary>
    public bool MayHoldDuplicates { get; private set; }

    /// <summary>Notes one runtime event stored in <c>launches</c>.</summary>
    public void Note(ref TraceEvent e)
    {
        if (!e.Name.SequenceEqual(_lastName))
        {
            _lastName = e.Name.ToArray();
            var name = Encoding.UTF8.GetString(_lastName);
            _lastIsLaunch = IsKernelLaunch(name);
            _lastIsGraphLaunch = name.Contains("GraphLaunch", StringComparison.OrdinalIgnoreCase);
            _lastIsCaptureCall = name.Contains("GetCaptureInfo", StringComparison.OrdinalIgnoreCase)
                || name.Contains("BeginCapture", StringComparison.OrdinalIgnoreCase);
            if (_lastIsCaptureCall) CaptureCallName ??= name;
        }
        if (_lastIsCaptureCall) CaptureCalls++;
        if (e.Correlation is not long correlation || correlation == 0) // 0: unknown (ROCm/roctracer#100), never a join key
        {
            MayHoldDuplicates = true;
            return;
        }
        if (correlation <= _lastCorrelation) MayHoldDuplicates = true;
        _lastCorrelation = correlation;
        if (_lastIsLaunch)
        {
            if (!_lastIsGraphLaunch) KernelLaunches++;
            if (LaunchCorrelations.Count > 0 && correlation <= LaunchCorrelations[LaunchCorrelations.Count - 1]) LaunchesSorted = false;
            LaunchCorrelations.Add(correlation);
            LaunchTsNs.Add(e.TsNs);
            LaunchExternalIds.Add(e.ExternalId is long ext && ext != 0 ? ext : long.MinValue);
        }
        if (_lastIsGraphLaunch)
        {
            GraphLaunches++;
            GraphLaunchCorrelations.Add(correlation);
        }
    }

    /// <summary>
    /// True for runtime calls that launch kernels: names containing <c>LaunchKernel</c>, <c>KernelLaunch</c>,
    /// <c>GraphLaunch</c> or <c>LaunchCooperativeKernel</c>, ASCII case ignored (<c>cudaLaunchKernel</c>,
    /// <c>cudaGraphLaunch</c>, <c>hipModuleLaunchKernel</c>, <c>cuLaunchKernel</c>, Intel XPU's
    /// <c>urEnqueueKernelLaunchWithArgsExp</c>...; the same test as <see cref="LaunchCoverage"/>'s SQL).
    /// </summary>
    public static bool IsKernelLaunch(string name) =>
        name.Contains("LaunchKernel", StringComparison.OrdinalIgnoreCase)
        || name.Contains("KernelLaunch", StringComparison.OrdinalIgnoreCase)
        || name.Contains("GraphLaunch", StringComparison.OrdinalIgnoreCase)
        || name.Contains("LaunchCooperativeKernel", StringComparison.OrdinalIgnoreCase);

    /// <summary>Frees the per-launch columns (once the checks that read them have run).</summary>
    public void Release()
    {
        LaunchCorrelations.Clear();
        LaunchTsNs.Clear();
        LaunchExternalIds.Clear();
        GraphLaunchCorrelations.Clear();
    }

    /// <summary>
    /// The kernel launches by correlation id, for lookups: a function from a correlation id to the launch's index
    /// into <see cref="LaunchTsNs"/> / <see cref="LaunchExternalIds"/>, or -1 (binary search in place when the ids are
    /// in Kineto's increasing order, else over a sorted copy; a repeated id finds one of its launches).
    /// </summary>
    public Func<long, int> LaunchIndex()
    {
        var n = LaunchCorrelations.Count;
        if (LaunchesSorted)
        {
            // Kernels mostly come in launch order: try the launch after the last one found before searching.
            var next = 0;
            return c =>
            {
                if (next < n && LaunchCorrelations[next] == c) return next++;
                int lo = 0, hi = n - 1;
                while (lo <= hi)
                {
                    var mid = (lo + hi) >>> 1;
                    var v = LaunchCorrelations[mid];
                    if (v == c)
                    {
                        next = mid + 1;
                        return mid;
                    }
                    if (v < c) lo = mid + 1; else hi = mid - 1;
                }
                return -1;
            };
        }
        var keys = new long[n];
        var index = new int[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = LaunchCorrelations[i];
            index[i] = i;
        }
        Array.Sort(keys, index);
        return c => Array.BinarySearch(keys, c) is var at and >= 0 ? index[at] : -1;
    }

    /// <summary>True when every kernel launch's correlation id is in <paramref name="sortedKernelCorrelations"/>.</summary>
    /// <param name="sortedKernelCorrelations">Correlation ids of every kernel event, sorted ascending.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    public bool AllLaunchesHaveKernels(long[] sortedKernelCorrelations)
    {
        for (var i = 0; i < LaunchCorrelations.Count; i++)
            if (Array.BinarySearch(sortedKernelCorrelations, LaunchCorrelations[i]) < 0) return false;
        return true;
    }
}
