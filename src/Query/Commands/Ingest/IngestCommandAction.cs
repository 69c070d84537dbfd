using System.CommandLine;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Pipeline;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Ingest;

/// <summary>Runs <c>llmpipe ingest</c>: <see cref="TraceIngestor.Ingest"/> per file.</summary>
public static class IngestCommandAction
{
    /// <summary>Ingests every file; a failed file is reported and the others still run; exit 1 when any failed.</summary>
    /// <exception cref="UsageException">A <c>--tag</c> without <c>=</c>.</exception>
    public static int Run(IngestCommandDefinition def, ParseResult parse, CliIO io)
    {
        var tags = ParseTags(parse.GetValue(def.Tag) ?? []);
        var role = parse.GetValue(def.AnchorRole) switch
        {
            "opens" => AnchorRole.Opens,
            "closes" => AnchorRole.Closes,
            _ => (AnchorRole?)null,
        };
        var showProgress = def.StderrIsTerminal && !parse.GetValue(def.Quiet);
        var failed = 0;
        foreach (var trace in parse.GetValue(def.Traces) ?? [])
        {
            var request = new IngestRequest
            {
                TracePath = trace,
                DbPath = parse.GetValue(def.Db)!,
                ConfigPath = parse.GetValue(def.Config),
                Profile = parse.GetValue(def.Profile),
                Segmentation = new SegmentationOptions(parse.GetValue(def.AnchorKernel), role, parse.GetValue(def.NumLayers)),
                Label = parse.GetValue(def.Label),
                Framework = parse.GetValue(def.Framework),
                Commit = parse.GetValue(def.Commit),
                Model = parse.GetValue(def.Model),
                Tags = tags,
                Force = parse.GetValue(def.Force),
                Strict = parse.GetValue(def.Strict),
            };
            try
            {
                var progress = showProgress ? new TerminalProgress(io.Error, trace) : null;
                var outcome = TraceIngestor.Ingest(request, progress);
                progress?.Finish();
                if (outcome.AlreadyPresent)
                {
                    io.Output.WriteLine($"{trace}: already present as run {outcome.RunId} (same file and segmentation options; --force ingests it again)");
                    continue;
                }
                io.Output.WriteLine($"run {outcome.RunId}: {outcome.Summary}");
                foreach (var warning in outcome.Warnings)
                    io.Error.WriteLine($"warning: run {outcome.RunId}: {warning}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not StackOverflowException)
            {
                io.Error.WriteLine($"error: {ex.Message}");
                failed++;
            }
        }
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Error;
    }

    /// <summary>Parses <c>KEY=VALUE</c> pairs (a later KEY wins).</summary>
    /// <exception cref="UsageException">A pair without <c>=</c> or with an empty key.</exception>
    public static IReadOnlyDictionary<string, string> ParseTags(IEnumerable<string> pairs)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new UsageException($"--tag '{pair}' is not KEY=VALUE");
            tags[pair[..eq]] = pair[(eq + 1)..];
        }
        return tags;
    }
}
