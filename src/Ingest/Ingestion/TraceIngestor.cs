using System.Diagnostics;
using System.Security.Cryptography;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Captures;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ranks;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>
/// Ingests one trace file into a database as one run: read (streaming; CPU-side rows spill into a private staging
/// database), normalize, then segment per device in memory on one core while the other opens the run's transaction in
/// the user's database and copies the staged rows into it, then write kernels and segmentation from memory and commit.
/// An error at any point leaves the user's database as it was. A merged multi-rank file (rank labels in event names,
/// docs/messy-traces.md, B24) becomes one run per rank (<see cref="RankRouter"/>, <see cref="RunStager"/>), all merged in the
/// same transaction and grouped into one capture.
/// </summary>
public static class TraceIngestor
{
    /// <summary>Ingests <paramref name="request"/>.<see cref="IngestRequest.TracePath"/>.</summary>
    /// <param name="request">What to ingest and how.</param>
    /// <param name="progress">Optional progress callback (called from the reading thread).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The run id and the summary paragraph.</returns>
    /// <exception cref="TraceFormatException">The trace is not usable JSON (file and byte offset named).</exception>
    /// <exception cref="DatabaseException">The database cannot be written.</exception>
    /// <exception cref="IngestException">Any other input problem (missing file, bad config or profile), in words.</exception>
    /// <exception cref="GraphCaptureTraceException">The file is a graph-capture trace (<see cref="GraphCaptureSigns"/>); nothing was stored.</exception>
    public static IngestOutcome Ingest(IngestRequest request, IProgress<IngestProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var timing = new StageTimer();
        var trace = request.TracePath;
        if (!File.Exists(trace)) throw new IngestException($"{trace}: trace file not found.");
        var setup = RunSetup.Resolve(trace, request.ConfigPath, request.Profile, request.StepMarkers);
        var fileBytes = new FileInfo(trace).Length;
        var seg = request.Segmentation;
        var optionsKey = RunIdentity.OptionsKey(ProfileCatalog.ToJson(setup.Profile), seg.AnchorKernel,
            seg.AnchorRole?.ToString().ToLowerInvariant(), seg.NumLayers, setup.Config?.RawJson, ExtraInputs(request));

        using var main = LlmDatabase.OpenForWrite(request.DbPath);
        // Before the duplicate check, which may end the ingest without staging: an ingest killed after its commit
        // leaves a staging file, and the next ingest of the same file must still remove it.
        StagingDatabase.RemoveStale(StagingDatabase.DefaultDirectory);
        // The duplicate check needs the file's SHA-256 before reading only when a stored run has the file's size; else
        // the hash is taken on the read-ahead thread as the bytes stream by (a 1 GB trace: 0.3 s off the critical path).
        string? upfrontSha = null;
        if (!request.Force && RunMerger.AnyWithSize(main, fileBytes))
        {
            upfrontSha = HashOrThrow(trace);
            if (RunMerger.FindExisting(main, upfrontSha, optionsKey) is long existing)
                return new IngestOutcome(existing, true, $"already present as run {existing} (same file SHA-256 and segmentation options; --force ingests it again){UnappliedMetadata(request, existing)}", [], 0, 0, clock.Elapsed);
        }

        timing.Mark("setup");
        using var router = new RankRouter();
        TraceReadSummary read;
        using var streamHash = upfrontSha is null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        long hashed;
        using (var file = new CountingStream(new FileStream(trace, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), streamHash))
        {
            using (var opened = TraceInput.Open(file, trace))
            using (var json = new ReadAheadStream(opened, request.BufferSize))
            {
                var reader = new TraceReader(new TraceReaderOptions { BufferSize = request.BufferSize, Strict = request.Strict });
                read = reader.Read(json, trace, router,
                    progress is null ? null : bytes => progress.Report(new IngestProgress("reading", bytes, file.BytesRead, fileBytes)), ct, opened);
            }
            hashed = file.BytesRead;
        }
        var sha = streamHash is null ? upfrontSha! : FinishHashOrThrow(streamHash, trace, hashed);
        var parts = router.Finish();
        foreach (var part in router.Parts) part.Normalizer.Dispose();
        if (read.EventCount == 0 && parts[0].Normalizer.Warnings.Contains(WarningCatalog.NoTraceEvents))
            throw new IngestException($"{trace}: not a trace: the JSON has no traceEvents array (a model config.json or other JSON file?); nothing was stored.");
        // --force does not change this: a capture is never a run.
        var normalizer = parts[0].Normalizer;
        if (parts.Count == 1 && GraphCaptureSigns.Of(trace, normalizer.Launches, normalizer.Devices.Values.Sum(d => (long)d.Count), normalizer.AnnotationSamples) is { } signs)
            throw new GraphCaptureTraceException(GraphCaptureSigns.Message(trace, signs));
        if (parts.Count > RunMerger.MaxRunsPerMerge)
            throw new IngestException($"{trace}: a merged trace of {parts.Count} ranks ({string.Join(", ", parts.Select(p => p.Label ?? "unlabelled"))}); at most {RunMerger.MaxRunsPerMerge} ranks per file can be stored; nothing was stored.");
        ct.ThrowIfCancellationRequested();
        timing.Mark("read");
        progress?.Report(new IngestProgress("segmenting", read.JsonBytes, fileBytes, fileBytes));

        var context = new RunStager.FileContext(request, setup, sha, fileBytes, optionsKey, read, parts.Count, timing, ct);
        foreach (var part in parts) CommitStaging(trace, part.Staging);
        // Segmentation (and the External id join, which reads the staging files) runs on a thread of its own while this
        // thread opens the write transaction and copies the staged rows into the user's database.
        var staging = Task.Factory.StartNew(() =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var staged = parts.Select(p => RunStager.Stage(p, context)).ToList();
                timing.Alongside("segment", clock.Elapsed.TotalSeconds);
                return staged;
            }
            catch (SqliteException ex) // the staging files (not the user's database, whose errors the merge translates)
            {
                throw StagingError(trace, "read the staged CPU operators back from", ex);
            }
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        IReadOnlyList<long> runIds;
        bool already;
        try
        {
            progress?.Report(new IngestProgress("writing", read.JsonBytes, fileBytes, fileBytes));
            (runIds, already) = MergeOrThrow(main, parts, staging, context);
        }
        finally
        {
            // The parts (and their staging connections) are disposed by the caller's using: the worker must be done.
            try { staging.Wait(CancellationToken.None); } catch (AggregateException) { }
        }
        timing.Mark("merge");
        timing.Report(clock);
        if (already)
            return new IngestOutcome(runIds[0], true, $"already present as run {runIds[0]} (ingested meanwhile by another process){UnappliedMetadata(request, runIds[0])}", [], 0, read.JsonBytes, clock.Elapsed);
        return Outcome(trace, setup, read, parts, staging.Result, runIds, clock);
    }

    /// <summary>
    /// For an ingest that stored nothing because the run exists: a sentence naming the run metadata options given
    /// (<c>--label</c>, <c>--framework</c>, <c>--commit</c>, <c>--model</c>, <c>--tag</c>) that were therefore not
    /// applied, and how to set them on the stored run; empty when none was given.
    /// </summary>
    private static string UnappliedMetadata(IngestRequest request, long runId)
    {
        var given = new List<string>();
        if (request.Label is not null) given.Add("--label");
        if (request.Framework is not null) given.Add("--framework");
        if (request.Commit is not null) given.Add("--commit");
        if (request.Model is not null) given.Add("--model");
        if (request.Tags.Count > 0) given.Add("--tag");
        return given.Count == 0 ? "" :
            $". {string.Join(", ", given)} {(given.Count == 1 ? "was" : "were")} not applied to it: 'llmpipe runs label {runId} TEXT' and 'llmpipe runs tag {runId} KEY=VALUE' change a stored run";
    }

    private static IngestOutcome Outcome(string trace, RunSetup setup, TraceReadSummary read, IReadOnlyList<RankPart> parts,
        IReadOnlyList<RunStager.StagedRun> staged, IReadOnlyList<long> runIds, Stopwatch clock)
    {
        var paragraphs = new List<string>();
        var warnings = new List<string>();
        var concatenated = parts.Any(p => p.Label?.StartsWith("document ", StringComparison.Ordinal) == true);
        for (var i = 0; i < parts.Count; i++)
        {
            var w = parts[i].Normalizer.Warnings;
            var paragraph = IngestSummary.Paragraph(runIds[i], trace, staged[i].Run, read, setup, staged[i].Segmentations, w, clock.Elapsed);
            if (staged[i].Replays.Sentence() is { } replays) paragraph += " " + replays;
            if (parts.Count == 1)
            {
                paragraphs.Add(paragraph);
                warnings.AddRange(w.Lines());
                continue;
            }
            var who = $"rank {parts[i].Rank} ({parts[i].Label ?? (concatenated ? "document 1" : "events without a rank label")})";
            paragraphs.Add(i == 0 ? $"{who}: {paragraph}" : $"run {runIds[i]}: {who}: {paragraph}");
            warnings.AddRange(w.Lines().Select(l => $"run {runIds[i]}, {who}: {l}"));
        }
        if (parts.Count > 1)
            paragraphs.Add($"The file is {(concatenated ? $"{parts.Count} concatenated trace documents, one per rank," : $"a merged trace of {parts.Count} ranks,")} stored as runs {string.Join(", ", runIds)} in one capture (ranks {string.Join(", ", parts.Select(p => p.Rank))}).");
        return new IngestOutcome(runIds[0], false, string.Join(Environment.NewLine, paragraphs), warnings,
            staged.Sum(s => s.Run.KernelCount), read.JsonBytes, clock.Elapsed) { RunIds = runIds, Phases = staged.Select(s => s.Phases).ToList() };
    }

    /// <summary>
    /// The inputs besides the trace and the segmentation options that change what is stored, for the duplicate check:
    /// the <c>--step-markers</c> file's text and the companion capture traces (names and sizes); null when neither.
    /// Resolving the capture traces here also makes a bad <c>--capture-traces</c> path fail before the trace is read.
    /// </summary>
    private static string? ExtraInputs(IngestRequest request)
    {
        var parts = new List<string>();
        if (request.StepMarkers is { } markers) parts.Add("step_markers:" + File.ReadAllText(markers));
        var (files, _) = GraphCaptureTraceFiles.Resolve(request.TracePath, request.CaptureTraces);
        if (files.Count > 0) parts.Add("capture_traces:" + string.Join(";", files.Select(f => $"{Path.GetFileName(f)}:{new FileInfo(f).Length}")));
        return parts.Count == 0 ? null : string.Join("\u001f", parts);
    }

    private static void CommitStaging(string trace, StagingDatabase staging)
    {
        try
        {
            staging.Commit();
        }
        catch (SqliteException ex)
        {
            throw StagingError(trace, "commit", ex);
        }
    }

    /// <summary>An error of the private staging database (a full or unwritable temporary folder), not of the user's.</summary>
    private static DatabaseException StagingError(string trace, string what, SqliteException ex) =>
        new($"{trace}: cannot {what} the staging database ({ex.Message}); nothing was stored. Set LLMPIPE_TMPDIR to a folder with free space.", ex);

    private static string HashOrThrow(string trace)
    {
        try
        {
            return RunIdentity.HashFile(trace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IngestException($"{trace}: cannot read the trace file: {ex.Message}", ex);
        }
    }

    private static string FinishHashOrThrow(IncrementalHash hash, string trace, long hashedBytes)
    {
        try
        {
            return RunIdentity.FinishHash(hash, trace, hashedBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IngestException($"{trace}: cannot read the trace file: {ex.Message}", ex);
        }
    }

    private static (IReadOnlyList<long>, bool) MergeOrThrow(SqliteConnection main, IReadOnlyList<RankPart> parts,
        Task<List<RunStager.StagedRun>> staging, RunStager.FileContext file)
    {
        var request = file.Request;
        try
        {
            var stagings = parts.Select(p => p.Staging).ToList();
            IReadOnlyList<RunRecord> Runs()
            {
                file.Timing.Mark("copy staged rows");
                var staged = staging.GetAwaiter().GetResult(); // the worker's exception, as thrown
                file.Timing.Mark("wait for segmentation");
                return staged.Select(s => s.Run).ToList();
            }
            void WriteRun(int i, SqliteConnection c, SqliteTransaction tx, long runId) => RunStager.Write(staging.Result[i], file, c, tx, runId);
            if (parts.Count == 1) return RunMerger.MergeAll(main, stagings, file.Sha256, file.OptionsKey, request.Force, Runs, WriteRun);
            var name = Path.GetFileName(request.TracePath) + " (merged ranks)";
            return RunMerger.MergeAll(main, stagings, file.Sha256, file.OptionsKey, request.Force, Runs, WriteRun, (c, tx, ids) =>
                CaptureAssigner.AssignMergedFile(c, tx, name, ids.Select((id, i) => (id, parts[i].Rank ?? i)).ToList()));
        }
        catch (SqliteException ex)
        {
            throw LlmDatabase.Translate(request.DbPath, ex);
        }
    }
}
