using System.CommandLine;
using LlmPipeline.Analysis.Phases;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Captures;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ingestion;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Query.Cli;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Query.Commands.Ingest;

/// <summary>
/// Runs <c>llmpipe ingest</c>: expands directories and patterns (<see cref="TraceFileFinder"/>), groups rank files
/// into captures (<see cref="CaptureGrouper"/>), ingests each file (<see cref="TraceIngestor.Ingest"/>), records
/// phase, capture, ranks and time alignment (<see cref="CaptureAssigner"/>), and ends with one line per file.
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
            var ingested = new List<(TraceFileName File, long RunId)>();
            foreach (var file in group.Files)
            {
                var request = new IngestRequest
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
                };
                var result = IngestOne(request, showProgress, io, alone: files.Count == 1);
                results.Add(result);
                if (result.RunId is long id) ingested.Add((file, id));
            }
            if (ingested.Count == 0) continue;
            if (!group.IsCapture) lone.AddRange(ingested);
            ApplyNames(dbPath, io, conn => [CaptureAssigner.Assign(conn, group, ingested)]);
        }
        if (lone.Count >= 2)
            ApplyNames(dbPath, io, conn => CaptureAssigner.AssignByDistributedInfo(conn, lone));
        foreach (var result in results) io.Output.WriteLine(result.ToString());
        return results.Any(r => r.Error is not null) ? ExitCodes.Error : ExitCodes.Ok;
    }

    /// <param name="request">The file and options.</param>
    /// <param name="showProgress">Whether to draw progress on stderr.</param>
    /// <param name="io">Output streams.</param>
    /// <param name="alone">The file is the only input: a graph-capture trace is then an error (exit 1), else it is skipped.</param>
    private static IngestFileResult IngestOne(IngestRequest request, bool showProgress, CliIO io, bool alone)
    {
        var trace = request.TracePath;
        try
        {
            var progress = showProgress ? new TerminalProgress(io.Error, trace) : null;
            var outcome = TraceIngestor.Ingest(request, progress);
            progress?.Finish();
            if (outcome.AlreadyPresent) return new IngestFileResult(trace, outcome.RunId, outcome.Summary, null);
            io.Output.WriteLine($"run {outcome.RunId}: {outcome.Summary}");
            if (request.StepMarkers is { } markers)
                for (var i = 0; i < outcome.RunIds.Count; i++)
                    io.Output.WriteLine(outcome.Phases[i].Describe(outcome.RunIds[i], markers));
            // A merged multi-rank file's warnings already say "run N, rank R (...)".
            var prefix = outcome.RunIds.Count > 1 ? "" : $"run {outcome.RunId}: ";
            foreach (var warning in outcome.Warnings)
                io.Error.WriteLine($"warning: {prefix}{warning}");
            return new IngestFileResult(trace, outcome.RunId, null, null) { RunIds = outcome.RunIds };
        }
        catch (GraphCaptureTraceException ex) when (!alone)
        {
            var how = ex.Message.StartsWith(trace + ": ", StringComparison.Ordinal) ? ex.Message[(trace.Length + 2)..] : ex.Message;
            return new IngestFileResult(trace, null, null, null) { Skipped = how };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not StackOverflowException)
        {
            io.Error.WriteLine($"error: {ex.Message}");
            return new IngestFileResult(trace, null, null, ex.Message);
        }
    }

    /// <summary>Records phase, capture, ranks and time alignment; prints one line per capture and its warnings.</summary>
    private static void ApplyNames(string dbPath, CliIO io, Func<SqliteConnection, IReadOnlyList<CaptureAssignment>> apply)
    {
        try
        {
            using var connection = LlmDatabase.OpenForWrite(dbPath);
            foreach (var a in apply(connection))
            {
                if (a.CaptureId is null) continue;
                var ranks = string.Join(", ", a.Ranks.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => $"rank {kv.Value} = run {kv.Key}"));
                var size = a.WorldSize is long ws ? $"world size {ws}" : "world size unknown";
                io.Output.WriteLine($"capture {a.CaptureId} ({a.Name}): {ranks}; {size}");
                foreach (var w in a.Warnings) io.Error.WriteLine($"warning: capture {a.CaptureId}: {w}");
            }
        }
        catch (Exception ex) when (ex is DatabaseException or SqliteException)
        {
            io.Error.WriteLine($"error: recording captures and ranks: {ex.Message}");
        }
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
