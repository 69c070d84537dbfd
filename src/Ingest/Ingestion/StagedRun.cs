using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Phases;
using LlmPipeline.Ingest.Ranks;
using LlmPipeline.Ingest.Segmenting;
using LlmPipeline.Ingest.Storage;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>
/// One part's run (<see cref="RankPart"/>: the whole file, or one rank of a merged multi-rank file), segmented and
/// waiting for the transaction that stores it: its kernels and segmentation in memory, or, for a file of a group once
/// the next file is read, parked in the group's <see cref="GroupStagingDatabase"/> (<see cref="Parked"/>).
/// </summary>
internal sealed class StagedRun(RankPart part, RunRecord run, IReadOnlyList<DeviceSegmentation> segmentations, string[] categories)
{
    private IReadOnlyList<DeviceSegmentation>? _segmentations = segmentations;
    private List<(int Device, SegmentationResult Result)>? _parkedResults;

    /// <summary>Where a parked run's rows wait.</summary>
    /// <param name="RunId">The run's id in the group staging database.</param>
    /// <param name="Contexts">The run's launch contexts by the run-local number its parked kernel rows carry (<see cref="Launches.RunLocalLaunchContexts.Keys"/>).</param>
    internal sealed record ParkedRows(long RunId, IReadOnlyList<(int Op, int Dims, int Grid, int Block)> Contexts);

    /// <summary>The rank part (normalizer completed; its staging holds the CPU-side rows until the run is parked).</summary>
    public RankPart Part { get; } = part;

    /// <summary>The <c>runs</c> row (run id assigned by the merge).</summary>
    public RunRecord Run { get; } = run;

    /// <summary>The segmentation of each device, in device order, with the kernels; null once the run is parked.</summary>
    public IReadOnlyList<DeviceSegmentation>? Segmentations => _segmentations;

    /// <summary>Category key by run-local kernel name id.</summary>
    public string[] Categories { get; } = categories;

    /// <summary>Where the run's kernel and segmentation rows wait; null while they are in memory.</summary>
    public ParkedRows? Parked { get; private set; }

    /// <summary>Each device's segmentation result, in device order (without the per-kernel arrays once parked), for the summary.</summary>
    public IReadOnlyList<(int Device, SegmentationResult Result)> Results =>
        _segmentations?.Select(s => (s.Kernels.Device, s.Result)).ToList() ?? (IReadOnlyList<(int, SegmentationResult)>)_parkedResults!;

    /// <summary>How the graph replays were attributed from capture traces (set by <see cref="RunStager.Write"/>).</summary>
    public GraphReplayAttribution.Outcome Replays { get; set; } = new(null, 0, 0, 0, 0, null, []);

    /// <summary>How the passes got their phases (set by <see cref="RunStager.Write"/>).</summary>
    public PhaseAssignmentResult Phases { get; set; } = new(0, 0, 0, 0, 0);

    /// <summary>Replaces device <paramref name="index"/>'s result (after segmenting again by module scopes).</summary>
    public void SetResult(int index, SegmentationResult result)
    {
        if (_segmentations is not null) _segmentations[index].Result = result;
        else _parkedResults![index] = (_parkedResults[index].Device, WithoutKernels(result));
    }

    /// <summary>
    /// Records that the run's rows are parked as <paramref name="parked"/> and frees its kernels: the device columns,
    /// the start-ordered sequences and the per-kernel arrays of the results (the summary keeps the rest).
    /// </summary>
    public void ParkedAs(ParkedRows parked)
    {
        _parkedResults = Results.Select(r => (r.Device, WithoutKernels(r.Result))).ToList();
        foreach (var device in Part.Normalizer.Devices.Values) device.Release();
        _segmentations = null;
        Parked = parked;
    }

    /// <summary>The result without its per-kernel arrays and per-layer lists (what the ingest summary does not read).</summary>
    private static SegmentationResult WithoutKernels(SegmentationResult result) =>
        result with { PassIdx = [], LayerIdx = [], BlockIdx = [], HalfIdx = [], Role = [], Layers = [], Parts = [], Candidates = [] };
}
