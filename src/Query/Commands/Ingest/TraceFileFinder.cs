using System.Text;
using System.Text.RegularExpressions;

namespace LlmPipeline.Query.Commands.Ingest;

/// <summary>
/// Expands the TRACE arguments of <c>llmpipe ingest</c>: a file is itself; a directory is every trace file below it
/// (<c>*.json</c>, <c>*.json.gz</c>, which covers <c>*.pt.trace.json(.gz)</c>; model and tokenizer configs, the
/// batch-size list <c>execution_details.json</c> written beside capture traces, and the companion files of a
/// <c>capture_traces/</c> folder excluded: those are read with their main trace);
/// a pattern with <c>*</c> (any characters but <c>/</c>), <c>**</c> (any directories) or <c>?</c> (one character)
/// is matched against the files below its fixed leading directory, so quoting it works the same on every shell.
/// (Microsoft.Extensions.FileSystemGlobbing has no <c>?</c>, hence this small matcher.)
/// </summary>
public static class TraceFileFinder
{
    private static readonly string[] NotTraces = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "server_args.json",
        LlmPipeline.Ingest.GraphReplays.GraphCaptureTraceReader.ExecutionDetailsFile];

    /// <summary>Expands one argument.</summary>
    /// <returns>The files in ordinal order (empty when nothing matches), or the argument itself when it names no
    /// directory and has no wildcard (ingesting it then says why it failed).</returns>
    public static IReadOnlyList<string> Expand(string argument)
    {
        if (File.Exists(argument)) return [argument];
        if (Directory.Exists(argument))
            return Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories)
                .Where(f => IsTraceFileName(f) && !InCaptureTracesFolder(argument, f)).Order(StringComparer.Ordinal).ToList();
        if (argument.IndexOfAny(['*', '?']) < 0) return [argument];
        var normalized = argument.Replace('\\', '/');
        var firstWild = normalized.IndexOfAny(['*', '?']);
        var slash = normalized.LastIndexOf('/', firstWild);
        var baseDir = slash < 0 ? "." : slash == 0 ? "/" : normalized[..slash];
        var pattern = slash < 0 ? normalized : normalized[(slash + 1)..];
        if (!Directory.Exists(baseDir)) return [];
        var regex = ToRegex(pattern);
        var recursive = pattern.Contains('/') || pattern.Contains("**", StringComparison.Ordinal);
        return Directory.EnumerateFiles(baseDir, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => regex.IsMatch(Path.GetRelativePath(baseDir, f).Replace('\\', '/')))
            .Select(f => slash < 0 ? Path.GetRelativePath(".", f) : f)
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether <paramref name="file"/> lies in a <c>capture_traces</c> folder below <paramref name="root"/>.</summary>
    private static bool InCaptureTracesFolder(string root, string file) =>
        Path.GetRelativePath(root, file).Replace('\\', '/').Split('/')[..^1]
            .Contains(LlmPipeline.Ingest.GraphReplays.GraphCaptureTraceFiles.FolderName, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a file found in a directory is taken as a trace: <c>.json</c> or <c>.json.gz</c>, not a model config.</summary>
    public static bool IsTraceFileName(string path)
    {
        var name = Path.GetFileName(path);
        if (NotTraces.Contains(name, StringComparer.OrdinalIgnoreCase)) return false;
        return name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Glob → anchored regular expression over a relative path with <c>/</c> separators.</summary>
    public static Regex ToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                i++;
                if (i + 1 < glob.Length && glob[i + 1] == '/') { i++; sb.Append("(?:.*/)?"); }
                else sb.Append(".*");
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
