using System.CommandLine;
using LlmPipeline.Analysis.Phases;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Captures;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Commands.Runs;

namespace LlmPipeline.Query.Commands.Ingest;

/// <summary>
/// Runs <c>llmpipe ingest</c>: expands directories and patterns (<see cref="TraceFileFinder"/>), groups rank files
/// into captures (<see cref="CaptureGrouper"/>), ingests each group with its phases, capture, ranks and time alignment
/// in one transaction (<see cref="TraceIngestor.IngestGroup"/>), groups lone files by their <c>distributedInfo</c>
/// (<see cref="TraceIngestor.GroupByDistributedInfo"/>), and ends with one line per file.
/// </summary>
public static class IngestCommandAction
{
    /// <summary>What the closing line of a file that Ctrl-C stopped while it was read says.</summary>
    public const string InterruptedWhileRead = "interrupted while it was read; nothing of it stored";

    /// <summary>What the closing line of a file that Ctrl-C stopped before it was read says.</summary>
    public const string InterruptedBeforeRead = "not read (interrupted before it)";

    /// <summary>
    /// Ingests every file; a failed file is reported (its error once, on stderr; its closing line says <c>failed</c>)
    /// and the others still run; exit 0 only when no file failed. Ctrl-C (<see cref="IngestCommandDefinition.Interruption"/>)
    /// stops after the group being stored, or drops the group being read: the closing lines say which files were
    /// stored, which was interrupted and which were not read, one stderr line sums it up, exit 130.
    /// </summary>
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
        var verbose = parse.GetValue(def.Verbose);
        var dbPath = parse.GetValue(def.Db)!;
        using var watch = def.Interruption.Watch();
        var ct = def.Interruption.Token;
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
            if (ct.IsCancellationRequested)
            {
                results.AddRange(group.Files.Select(f => new IngestFileResult(f.Path, null, null, null) { Interrupted = InterruptedBeforeRead }));
                continue;
            }
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
            var stored = IngestGroup(requests, new GroupSettings(showProgress, verbose, files.Count == 1, ct), io, results);
            if (!group.IsCapture) lone.AddRange(stored.Select(s => (group.Files.Single(f => f.Path == s.Path), s.RunId)));
        }
        if (lone.Count >= 2 && !ct.IsCancellationRequested)
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
        if (ct.IsCancellationRequested)
        {
            io.Error.WriteLine(InterruptedLine(results));
            return ExitCodes.Interrupted;
        }
        return results.Any(r => r.Error is not null) ? ExitCodes.Error : ExitCodes.Ok;
    }

    /// <summary>
    /// The stderr line after Ctrl-C: <c>interrupted: runs 1, 2 stored (2 files); b.json interrupted while it was read,
    /// nothing of it stored; 3 files not read</c> (each part only when it applies).
    /// </summary>
    public static string InterruptedLine(IReadOnlyList<IngestFileResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var parts = new List<string>();
        var stored = results.Where(r => r.RunId is not null && r.Interrupted is null).ToList();
        var runs = stored.SelectMany(r => r.RunIds ?? [r.RunId!.Value]).Distinct().ToList();
        parts.Add(runs.Count == 0 ? "no run stored" : $"run{(runs.Count == 1 ? "" : "s")} {string.Join(", ", runs)} stored ({stored.Count} file{(stored.Count == 1 ? "" : "s")})");
        var cut = results.Where(r => r.Interrupted == InterruptedWhileRead).Select(r => r.Path).ToList();
        if (cut.Count > 0) parts.Add($"{string.Join(", ", cut)} {InterruptedWhileRead}");
        var notRead = results.Count(r => r.Interrupted == InterruptedBeforeRead);
        if (notRead > 0) parts.Add($"{notRead} file{(notRead == 1 ? "" : "s")} not read");
        return "interrupted: " + string.Join("; ", parts);
    }

    /// <summary>How one group is ingested and reported.</summary>
    /// <param name="ShowProgress">Whether to draw progress on stderr.</param>
    /// <param name="Verbose">Print each new run's whole paragraph and every warning instead of the short summary.</param>
    /// <param name="Alone">The file is the only input: a graph-capture trace is then an error (exit 1), else it is skipped.</param>
    /// <param name="Ct">Ctrl-C.</param>
    private sealed record GroupSettings(bool ShowProgress, bool Verbose, bool Alone, CancellationToken Ct);

    /// <summary>
    /// Ingests one group of files (<see cref="TraceIngestor.IngestGroup"/>: all their runs, their capture and phases in one
    /// transaction), prints each new run's summary and the capture line, and adds one result per file.
    /// </summary>
    /// <param name="requests">The group's files, in its order.</param>
    /// <param name="settings">Progress, verbosity, whether the file is alone, Ctrl-C.</param>
    /// <param name="io">Output streams.</param>
    /// <param name="results">Receives one result per file.</param>
    /// <returns>The files stored or found stored, with their (first) run ids.</returns>
    private static List<(string Path, long RunId)> IngestGroup(IReadOnlyList<IngestRequest> requests, GroupSettings settings, CliIO io,
        List<IngestFileResult> results)
    {
        var progress = settings.ShowProgress ? new TerminalProgress(io.Error) : null;
        GroupIngestOutcome outcome;
        try
        {
            outcome = TraceIngestor.IngestGroup(requests, progress, settings.Ct);
        }
        catch (OperationCanceledException) when (settings.Ct.IsCancellationRequested)
        {
            // Ctrl-C while the group was read: its transaction never began.
            progress?.Finish();
            results.AddRange(requests.Select(r => new IngestFileResult(r.TracePath, null, null, null) { Interrupted = InterruptedWhileRead }));
            return [];
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
                if (file.Error is GraphCaptureTraceException skipped && !settings.Alone)
                {
                    var how = skipped.Message.StartsWith(trace + ": ", StringComparison.Ordinal) ? skipped.Message[(trace.Length + 2)..] : skipped.Message;
                    results.Add(new IngestFileResult(trace, null, null, null) { Skipped = how });
                    continue;
                }
                var message = file.Error!.Message;
                io.Error.WriteLine(message.Contains(trace, StringComparison.Ordinal) ? $"error: {message}" : $"error: {trace}: {message}");
                results.Add(new IngestFileResult(trace, null, null, message));
                continue;
            }
            stored.Add((trace, run.RunId));
            if (run.AlreadyPresent)
            {
                results.Add(new IngestFileResult(trace, run.RunId, run.Summary, null));
                continue;
            }
            PrintSummary(requests[0], run, settings.Verbose, io);
            results.Add(new IngestFileResult(trace, run.RunId, null, null) { RunIds = run.RunIds });
        }
        if (outcome.Capture is { } capture) PrintCapture(capture, io);
        return stored;
    }

    /// <summary>
    /// A new run's summary: the short lines (<see cref="IngestSummaryLines"/>, read back from the database) per run of
    /// the file, or with <paramref name="verbose"/> the whole paragraph and every warning; then the phase lines of
    /// <c>--step-markers</c>.
    /// </summary>
    private static void PrintSummary(IngestRequest request, IngestOutcome run, bool verbose, CliIO io)
    {
        if (verbose)
        {
            io.Output.WriteLine($"run {run.RunId}: {run.Summary}");
            // A merged multi-rank file's warnings already say "run N, rank R (...)".
            var prefix = run.RunIds.Count > 1 ? "" : $"run {run.RunId}: ";
            foreach (var warning in run.Warnings) io.Error.WriteLine($"{WarningLinePrefix.For(warning)}: {prefix}{warning}");
        }
        else
        {
            using var db = ReportDatabase.Open(request.DbPath);
            foreach (var id in run.RunIds)
                foreach (var line in IngestSummaryLines.For(RunFacts.Load(db.Connection, id)!, run.Elapsed))
                    io.Output.WriteLine(line);
        }
        if (request.StepMarkers is { } markers)
            for (var i = 0; i < run.RunIds.Count; i++)
                io.Output.WriteLine(run.Phases[i].Describe(run.RunIds[i], markers));
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
