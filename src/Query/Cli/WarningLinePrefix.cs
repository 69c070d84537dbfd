using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// Says whether a warning line of an ingest or resegment outcome (<c>kind xN …: detail</c>, as
/// <c>WarningLog.Lines</c> writes it) is a <c>note</c> (a kind of severity <see cref="WarningSeverity.Info"/>: nothing
/// is wrong with the trace) or a <c>warning</c> (every other severity, and a code the catalogue does not know).
/// </summary>
public static class WarningLinePrefix
{
    /// <summary>The word to print before <paramref name="line"/>: <c>note</c> or <c>warning</c>.</summary>
    /// <param name="line">One outcome warning line; its first word is the kind's code.</param>
    /// <exception cref="ArgumentNullException"><paramref name="line"/> is null.</exception>
    public static string For(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var code = space < 0 ? line : line[..space];
        return WarningCatalog.IsNote(code) ? "note" : "warning";
    }
}
