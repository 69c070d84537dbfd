using System.Globalization;
using System.Text.RegularExpressions;
using LlmPipeline.Ingest.Normalizing;

namespace LlmPipeline.Ingest.GraphReplays;

/// <summary>
/// Tells a CUDA/HIP-graph capture trace (what vLLM and SGLang write into <c>capture_traces/</c> while they capture a
/// graph) from a trace of a run. Captured kernels do not execute, so a capture holds many kernel launch records and
/// (almost) no kernel events; analysed as a run it would give invented passes and layers (AMD-AGI/Hyperloom#735).
/// A trace is a capture when its kernel launches far outnumber its kernel events (at least
/// <see cref="MinLaunches"/> launches and more than <see cref="LaunchesPerKernel"/> per kernel event) and at least one
/// more sign is present: an annotation <c>capture_&lt;N&gt;_&lt;MODE&gt;</c>, stream-capture calls
/// (<c>cudaStreamGetCaptureInfo</c>, <c>hipStreamBeginCapture</c>, …), or a place in a <c>capture_traces/</c> folder.
/// A trace whose profiler merely dropped kernel records (pytorch/kineto#996) has none of the other signs.
/// </summary>
public static partial class GraphCaptureSigns
{
    /// <summary>Fewest kernel launches a capture is recognised by.</summary>
    public const int MinLaunches = 10;

    /// <summary>Kernel launches per kernel event above which launches "far outnumber" kernels.</summary>
    public const int LaunchesPerKernel = 4;

    [GeneratedRegex(@"^capture_\d+(?:_|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaptureAnnotation();

    /// <summary>The signs, in words, when <paramref name="path"/> with these counts is a capture trace; null when it is not.</summary>
    /// <param name="path">The trace file.</param>
    /// <param name="launches">Its launch counts.</param>
    /// <param name="kernelEvents">Its kernel events.</param>
    /// <param name="annotations">Annotation names seen (any sample).</param>
    public static string? Of(string path, LaunchLedger launches, long kernelEvents, IEnumerable<string> annotations)
    {
        if (launches.GraphLaunches > 0 || launches.KernelLaunches < MinLaunches || launches.KernelLaunches <= LaunchesPerKernel * kernelEvents) return null;
        var signs = new List<string>();
        var annotation = annotations.FirstOrDefault(a => CaptureAnnotation().IsMatch(a));
        if (annotation is not null) signs.Add($"annotation '{annotation}'");
        if (launches.CaptureCalls > 0) signs.Add(string.Create(CultureInfo.InvariantCulture, $"{launches.CaptureCalls} stream-capture calls ({launches.CaptureCallName})"));
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        if (string.Equals(folder, GraphCaptureTraceFiles.FolderName, StringComparison.Ordinal)) signs.Add($"it lies in a {GraphCaptureTraceFiles.FolderName}/ folder");
        if (signs.Count == 0) return null;
        signs.Insert(0, string.Create(CultureInfo.InvariantCulture, $"{launches.KernelLaunches} kernel launches but {kernelEvents} kernel events"));
        return string.Join(", ", signs);
    }

    /// <summary>The message of <see cref="GraphCaptureTraceException"/> for <paramref name="path"/>.</summary>
    public static string Message(string path, string signs) =>
        $"{path}: a graph-capture trace ({signs}): it records the capture of a CUDA/HIP graph, whose kernels never ran, so it is not a run and nothing was stored. "
        + $"Use it with the replay trace it belongs with: llmpipe ingest REPLAY_TRACE --capture-traces {path} (or put it in a {GraphCaptureTraceFiles.FolderName}/ folder beside that trace, where it is found by default).";
}
