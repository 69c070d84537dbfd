using LlmPipeline.Ingest.Ingestion;
namespace LlmPipeline.Ingest.GraphReplays;

/// <summary>
/// Finds the companion capture traces of a trace (docs/messy-traces.md, B26): the files <c>--capture-traces</c> names
/// (a file, or every <c>*.json</c> / <c>*.json.gz</c> below a folder), else those below a <c>capture_traces/</c>
/// folder next to the trace (where vLLM writes them), else none.
/// </summary>
public static class GraphCaptureTraceFiles
{
    /// <summary>The folder name looked for next to the trace when no option is given.</summary>
    public const string FolderName = "capture_traces";

    /// <summary>Resolves the companion files, in ordinal path order, the trace itself excluded.</summary>
    /// <param name="tracePath">The main trace file.</param>
    /// <param name="option"><c>--capture-traces</c>: a file or folder; null = look for <c>capture_traces/</c> next to the trace.</param>
    /// <returns>The files and whether they were named explicitly (true) or found next to the trace (false).</returns>
    /// <exception cref="IngestException"><paramref name="option"/> names neither a file nor a folder.</exception>
    public static (IReadOnlyList<string> Files, bool Explicit) Resolve(string tracePath, string? option)
    {
        if (option is not null)
        {
            if (File.Exists(option)) return ([Path.GetFullPath(option)], true);
            if (Directory.Exists(option)) return (Below(option, tracePath), true);
            throw new IngestException($"--capture-traces {option}: no such file or folder.");
        }
        var next = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tracePath)) ?? ".", FolderName);
        return Directory.Exists(next) ? (Below(next, tracePath), false) : ([], false);
    }

    private static List<string> Below(string folder, string tracePath)
    {
        var self = Path.GetFullPath(tracePath);
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
            .Select(Path.GetFullPath)
            .Where(f => !string.Equals(f, self, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }
}
