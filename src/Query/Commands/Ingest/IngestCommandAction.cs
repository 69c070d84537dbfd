using System.CommandLine;
using LlmPipeline.Analysis.Phases;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Captures;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Ingest;

/// <summary>
/// Runs <c>llmpipe ingest</c>: expands directories and patterns (<see cref="TraceFileFinder"/>), groups rank files
/// into captures (<see cref="CaptureGrouper"/>), ingests each group with its phases, capture, ranks and time alignment
/// in one transaction (<see cref="TraceIngestor.IngestGroup"/>), groups lone files by their <c>distributedInfo</c>
/// (<see cref="TraceIngestor.GroupByDistributedInfo"/>), and ends with one line per file.
/// </summary>
public static class IngestCommandAction
{
    /// <summary>Ingests every file; a failed file is reported and the others still run; exit 0 only when no file failed.</summary>
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
        var stepMarkers = parse.GetValue(def.StepMarkers);
        if (stepMarkers is not null) PhaseRules.Load(stepMarkers); // a bad file fails before any ingest
        var showProgress = def.StderrIsTerminal && !parse.GetValue(def.Quiet);
        var dbPath = parse.GetValue(def.Db)!;
        var results = new List<IngestFileResult>();
        var files = new List<string>();
        foreach (var argument in parse.GetValue(def.Traces) ?? [])
        {
            var expanded = TraceFileFinder.Expand(argument);
            if (expanded.Count == 0)
            {
                io.Error.WriteLine($"error: {argument}: no trace files match");
                results.Add(new IngestFileResult(argument, null, null, "no trace files match"));
            }
            files.AddRange(expanded);
        }
        var lone = new List<(TraceFileName File, long RunId)>();
        foreach (var group in CaptureGrouper.Group(files))
        {
            var requests = group.Files.Select(file => new IngestRequest
            {
                TracePath = file.Path,
                DbPath = dbPath,
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
                CaptureTraces = parse.GetValue(def.CaptureTraces),
                GpuSpecs = parse.GetValue(def.GpuSpecs),
                StepMarkers = stepMarkers,
            }).ToList();
            var stored = IngestGroup(requests, showProgress, io, alone: files.Count == 1, results);
            if (!group.IsCapture) lone.AddRange(stored.Select(s => (group.Files.Single(f => f.Path == s.Path), s.RunId)));
        }
        if (lone.Count >= 2)
        {
            try
            {
                foreach (var capture in TraceIngestor.GroupByDistributedInfo(dbPath, lone)) PrintCapture(capture, io);
            }
            catch (DatabaseException ex)
            {
                io.Error.WriteLine($"error: recording captures and ranks: {ex.Message}");
            }
        }
        foreach (var result in results) io.Output.WriteLine(result.ToString());
        return results.Any(r => r.Error is not null) ? ExitCodes.Error : ExitCodes.Ok;
    }

    /// <summary>
    /// Ingests one group of files (<see cref="TraceIngestor.IngestGroup"/>: all their runs, their capture and phases in one
    /// transaction), prints each new run's summary and the capture line, and adds one result per file.
    /// </summary>
    /// <param name="requests">The group's files, in its order.</param>
    /// <param name="showProgress">Whether to draw progress on stderr.</param>
    /// <param name="io">Output streams.</param>
    /// <param name="alone">The file is the only input: a graph-capture trace is then an error (exit 1), else it is skipped.</param>
    /// <param name="results">Receives one result per file.</param>
    /// <returns>The files stored or found stored, with their (first) run ids.</returns>
    private static List<(string Path, long RunId)> IngestGroup(IReadOnlyList<IngestRequest> requests, bool showProgress, CliIO io, bool alone,
        List<IngestFileResult> results)
    {
        var progress = showProgress ? new TerminalProgress(io.Error) : null;
        GroupIngestOutcome outcome;
        try
        {
            outcome = TraceIngestor.IngestGroup(requests, progress);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not StackOverflowException)
        {
            // Nothing of the group was stored (the transaction that stores it failed).
            progress?.Finish();
            io.Error.WriteLine($"error: {ex.Message}");
            results.AddRange(requests.Select(r => new IngestFileResult(r.TracePath, null, null, ex.Message)));
            return [];
        }
        progress?.Finish();
        var stored = new List<(string Path, long RunId)>();
        foreach (var file in outcome.Files)
        {
            var trace = file.TracePath;
            if (file.Outcome is not { } run)
            {
                if (file.Error is GraphCaptureTraceException skipped && !alone)
                {
                    var how = skipped.Message.StartsWith(trace + ": ", StringComparison.Ordinal) ? skipped.Message[(trace.Length + 2)..] : skipped.Message;
                    results.Add(new IngestFileResult(trace, null, null, null) { Skipped = how });
                    continue;
                }
                io.Error.WriteLine($"error: {file.Error!.Message}");
                results.Add(new IngestFileResult(trace, null, null, file.Error.Message));
                continue;
            }
            stored.Add((trace, run.RunId));
            if (run.AlreadyPresent)
            {
                results.Add(new IngestFileResult(trace, run.RunId, run.Summary, null));
                continue;
            }
            io.Output.WriteLine($"run {run.RunId}: {run.Summary}");
            if (requests[0].StepMarkers is { } markers)
                for (var i = 0; i < run.RunIds.Count; i++)
                    io.Output.WriteLine(run.Phases[i].Describe(run.RunIds[i], markers));
            // A merged multi-rank file's warnings already say "run N, rank R (...)".
            var prefix = run.RunIds.Count > 1 ? "" : $"run {run.RunId}: ";
            foreach (var warning in run.Warnings)
                io.Error.WriteLine($"warning: {prefix}{warning}");
            results.Add(new IngestFileResult(trace, run.RunId, null, null) { RunIds = run.RunIds });
        }
        if (outcome.Capture is { } capture) PrintCapture(capture, io);
        return stored;
    }

    /// <summary>Prints one line per capture (its ranks and world size) and its warnings.</summary>
    private static void PrintCapture(CaptureAssignment a, CliIO io)
    {
        if (a.CaptureId is null) return;
        var ranks = string.Join(", ", a.Ranks.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => $"rank {kv.Value} = run {kv.Key}"));
        var size = a.WorldSize is long ws ? $"world size {ws}" : "world size unknown";
        io.Output.WriteLine($"capture {a.CaptureId} ({a.Name}): {ranks}; {size}");
        foreach (var w in a.Warnings) io.Error.WriteLine($"warning: capture {a.CaptureId}: {w}");
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
