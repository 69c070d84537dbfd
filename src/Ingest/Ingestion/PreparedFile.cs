using System.Diagnostics;
using System.Security.Cryptography;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ranks;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>
/// One trace file on its way into the database, with everything done that does not hold the user's database locked
/// (<see cref="Prepare"/>): the duplicate check by size and hash, the streaming read (CPU-side rows into the parts'
/// staging databases), the checks of what the file is, segmentation (on a worker thread: <see cref="RunStager.PrepareKernels"/>,
/// then <see cref="RunStager.Stage"/>; the transaction may write the kernel rows in between, <see cref="KernelsReady"/>)
/// and the companion graph-capture traces. For a file of a group, <see cref="Park"/> then moves its kernels out of
/// memory. The transaction that stores its runs comes after (<see cref="TraceIngestor"/>).
/// </summary>
internal sealed class PreparedFile : IDisposable
{
    private readonly RankRouter? _router;
    private readonly Task<List<StagedRun>>? _segmenting;
    private readonly TaskCompletionSource<RunStager.PreparedKernels>[] _kernelsReady = [];

    private PreparedFile(IngestRequest request, Stopwatch clock, long existingRunId)
    {
        Request = request;
        Clock = clock;
        ExistingRunId = existingRunId;
        Timing = new StageTimer();
    }

    private PreparedFile(IngestRequest request, Stopwatch clock, StageTimer timing, RunStager.FileContext context, RankRouter router,
        IReadOnlyList<RankPart> parts, Task<List<StagedRun>> segmenting, TaskCompletionSource<RunStager.PreparedKernels>[] kernelsReady)
    {
        (Request, Clock, Timing, Context, _router, Parts, _segmenting, _kernelsReady) = (request, clock, timing, context, router, parts, segmenting, kernelsReady);
    }

    /// <summary>What was asked for this file.</summary>
    public IngestRequest Request { get; }

    /// <summary>Wall time of this file's ingest: running while it is read and while its runs are written.</summary>
    public Stopwatch Clock { get; }

    /// <summary>Per-stage timing (<c>LLMPIPE_TIMING</c>).</summary>
    public StageTimer Timing { get; }

    /// <summary>The stored run with the file's hash and options, found before reading (nothing else was done); null otherwise.</summary>
    public long? ExistingRunId { get; }

    /// <summary>What is the same for every run of the file; null when <see cref="ExistingRunId"/> is set.</summary>
    public RunStager.FileContext? Context { get; }

    /// <summary>The file's parts, one per run (one unless it is a merged multi-rank file); empty when <see cref="ExistingRunId"/> is set.</summary>
    public IReadOnlyList<RankPart> Parts { get; } = [];

    /// <summary>The companion graph-capture traces, read.</summary>
    public GraphCaptureTraceSet Companions { get; private set; } = GraphCaptureTraceSet.None;

    /// <summary>True once <see cref="Park"/> moved the runs' rows into a group staging database.</summary>
    public bool IsParked { get; private set; }

    /// <summary>The settings of one file, resolved before anything is read (<see cref="Check"/>).</summary>
    /// <param name="Setup">Config, profile and phase rules.</param>
    /// <param name="FileBytes">Size of the file on disk.</param>
    /// <param name="OptionsKey">The segmentation options key of the duplicate check.</param>
    /// <param name="Clock">Started when the file's ingest began.</param>
    /// <param name="Timing">Per-stage timing, started with <paramref name="Clock"/>.</param>
    internal sealed record Settings(RunSetup Setup, long FileBytes, string OptionsKey, Stopwatch Clock, StageTimer Timing);

    /// <summary>
    /// Checks that the file exists and resolves its config, profile, step markers and companion capture traces, so that
    /// a bad option fails before the database is opened or the trace read.
    /// </summary>
    /// <exception cref="IngestException">A missing file, bad config, profile, step-markers file or <c>--capture-traces</c> path.</exception>
    public static Settings Check(IngestRequest request)
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
        return new Settings(setup, fileBytes, optionsKey, clock, timing);
    }

    /// <summary>
    /// Looks for a stored copy of the file (by size, then hash), reads the trace, starts segmentation on a worker thread
    /// and reads the companion capture traces meanwhile. Never writes <paramref name="main"/>.
    /// </summary>
    /// <param name="request">The file and options.</param>
    /// <param name="settings">What <see cref="Check"/> resolved for it.</param>
    /// <param name="main">The user's database, for the duplicate check (read only).</param>
    /// <param name="progress">Receives <c>reading</c>, <c>segmenting</c> and <c>capture traces</c> reports; null: none.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="TraceFormatException">The trace is not usable JSON (file and byte offset named).</exception>
    /// <exception cref="IngestException">An unreadable file, a JSON file that is not a trace, too many ranks.</exception>
    /// <exception cref="GraphCaptureTraceException">The file is a graph-capture trace.</exception>
    /// <exception cref="DatabaseException">A staging database cannot be created or written.</exception>
    public static PreparedFile Prepare(IngestRequest request, Settings settings, SqliteConnection main, IProgress<IngestProgress>? progress, CancellationToken ct)
    {
        var (setup, fileBytes, optionsKey, clock, timing) = settings;
        var trace = request.TracePath;
        // The duplicate check needs the file's SHA-256 before reading only when a stored run has the file's size; else
        // the hash is taken on the read-ahead thread as the bytes stream by (a 1 GB trace: 0.3 s off the critical path).
        string? upfrontSha = null;
        if (!request.Force && RunMerger.AnyWithSize(main, fileBytes))
        {
            upfrontSha = HashOrThrow(trace);
            if (RunMerger.FindExisting(main, upfrontSha, optionsKey) is long existing) return new PreparedFile(request, clock, existing);
        }

        timing.Mark("setup");
        var router = new RankRouter();
        PreparedFile? prepared = null;
        try
        {
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
                        progress is null ? null : bytes => progress.Report(new IngestProgress("reading", bytes, file.BytesRead, fileBytes, trace)), ct, opened);
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
            if (parts.Count > RunMerger.MaxAttachedStagings)
                throw new IngestException($"{trace}: a merged trace of {parts.Count} ranks ({string.Join(", ", parts.Select(p => p.Label ?? "unlabelled"))}); at most {RunMerger.MaxAttachedStagings} ranks per file can be stored; nothing was stored.");
            ct.ThrowIfCancellationRequested();
            timing.Mark("read");
            progress?.Report(new IngestProgress("segmenting", read.JsonBytes, fileBytes, fileBytes, trace));

            var context = new RunStager.FileContext(request, setup, sha, fileBytes, optionsKey, read, parts.Count, timing, ct);
            foreach (var part in parts) CommitStaging(trace, part.Staging);
            // Segmentation (and the External id join, which reads the staging files) runs on a thread of its own while
            // this thread reads the companion capture traces and then opens the write transaction and copies the staged rows.
            // Each part's kernels are ready for their rows once sorted (kernelsReady), before they are segmented.
            var kernelsReady = parts.Select(_ => new TaskCompletionSource<RunStager.PreparedKernels>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var segmenting = Task.Factory.StartNew(() =>
            {
                var segmentClock = Stopwatch.StartNew();
                try
                {
                    var staged = new List<StagedRun>();
                    for (var i = 0; i < parts.Count; i++)
                    {
                        var kernels = RunStager.PrepareKernels(parts[i], context);
                        kernelsReady[i].SetResult(kernels);
                        staged.Add(RunStager.Stage(kernels, context));
                    }
                    timing.Alongside("segment", segmentClock.Elapsed.TotalSeconds);
                    return staged;
                }
                catch (SqliteException ex) // the staging files (not the user's database, whose errors the merge translates)
                {
                    var error = StagingError(trace, "read the staged CPU operators back from", ex);
                    foreach (var ready in kernelsReady) ready.TrySetException(error);
                    throw error;
                }
                catch (Exception ex)
                {
                    foreach (var ready in kernelsReady) ready.TrySetException(ex);
                    throw;
                }
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            prepared = new PreparedFile(request, clock, timing, context, router, parts, segmenting, kernelsReady);
            // Before the transaction: the user's database is never held while companion traces are read.
            var graphLaunches = parts.Any(p => p.Normalizer.GraphLaunchCount > 0);
            if (graphLaunches) progress?.Report(new IngestProgress("capture traces", read.JsonBytes, fileBytes, fileBytes, trace));
            prepared.Companions = GraphCaptureTraceSet.Read(trace, request.CaptureTraces, graphLaunches, ct);
            timing.Mark("capture traces");
            return prepared;
        }
        catch
        {
            if (prepared is not null) prepared.Dispose(); // waits for the worker, then disposes the router
            else router.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Part <paramref name="part"/>'s kernels, sorted and linked to their launching ops but maybe not segmented yet:
    /// waits until the worker thread has them (its exception, as thrown, when it failed before).
    /// </summary>
    /// <exception cref="DatabaseException">The staging database could not be read.</exception>
    public RunStager.PreparedKernels KernelsReady(int part)
    {
        var ready = _kernelsReady[part].Task;
        // A worker cancelled before it started never sets the part: its task ends instead.
        Task.WaitAny(ready, _segmenting!);
        if (!ready.IsCompleted) _segmenting!.GetAwaiter().GetResult();
        return ready.GetAwaiter().GetResult();
    }

    /// <summary>The runs, segmented: waits for the worker thread (its exception, as thrown).</summary>
    /// <exception cref="DatabaseException">The staging database could not be read.</exception>
    public IReadOnlyList<StagedRun> Staged() =>
        _segmenting?.GetAwaiter().GetResult() ?? throw new InvalidOperationException("the file was found stored before reading");

    /// <summary>
    /// Waits for segmentation, then parks every run's rows in <paramref name="group"/> (<see cref="RunStager.Park"/>),
    /// freeing the kernels before the next file of the group is read; the clock stops until the file's runs are written.
    /// </summary>
    /// <exception cref="DatabaseException">A staging database cannot be read or written.</exception>
    public void Park(GroupStagingDatabase group)
    {
        if (ExistingRunId is not null) return;
        try
        {
            foreach (var run in Staged()) RunStager.Park(run, Context!, group);
        }
        catch (SqliteException ex)
        {
            throw StagingError(Request.TracePath, "park the run in", ex);
        }
        IsParked = true;
        Clock.Stop();
    }

    /// <summary>Waits for the worker thread to end and disposes the parts (their staging files are deleted).</summary>
    public void Dispose()
    {
        // The parts (and their staging connections) are disposed with the router: the worker must be done.
        try { _segmenting?.Wait(CancellationToken.None); } catch (AggregateException) { }
        _router?.Dispose();
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

    /// <summary>An error of a private staging database (a full or unwritable temporary folder), not of the user's.</summary>
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
}
