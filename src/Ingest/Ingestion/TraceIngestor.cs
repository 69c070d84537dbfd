using LlmPipeline.Ingest.Captures;
using LlmPipeline.Ingest.GraphReplays;
using LlmPipeline.Ingest.Ranks;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>
/// Ingests trace files into a database, one run per file (one per rank of a merged multi-rank file). First, for each
/// file, everything that does not hold the user's database (<see cref="PreparedFile"/>): read (streaming; CPU-side rows
/// spill into a private staging database), normalize, segment per device in memory on one core while the other reads
/// the companion graph-capture traces. Then one <c>BEGIN IMMEDIATE</c> transaction (<see cref="RunMerger"/>) stores
/// the runs, in straight-line steps: duplicate check, run ids, staged rows copied, <c>runs</c> rows, kernels,
/// segmentation, graph-replay attribution and phases (<see cref="RunStager.Write"/>), the captures the runs form, commit.
/// An error at any point leaves the user's database as it was; readers never wait, and another writer waits for the
/// transaction only, not for the reading.
/// </summary>
/// <remarks>
/// <see cref="Ingest"/> takes one file; a merged multi-rank file (rank labels in event names, docs/messy-traces.md, B24)
/// becomes one run per rank (<see cref="RankRouter"/>), all in one capture. <see cref="IngestGroup"/> takes the files of
/// one capture (one file per rank, <see cref="CaptureGrouper"/>) and stores all their runs, the capture row, ranks,
/// time alignment and the phases their names give in the same transaction; each file's kernels wait on disk
/// (<see cref="GroupStagingDatabase"/>) while the next file is read, so memory holds one file's kernels at a time.
/// </remarks>
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
        var settings = PreparedFile.Check(request);
        using var main = LlmDatabase.OpenForWrite(request.DbPath);
        // Before the duplicate check, which may end the ingest without staging: an ingest killed after its commit
        // leaves a staging file, and the next ingest of the same file must still remove it.
        StagingDatabase.RemoveStale(StagingDatabase.DefaultDirectory);
        using var file = PreparedFile.Prepare(request, settings, main, progress, ct);
        var (outcomes, _) = Store(main, request.DbPath, [file], group: null, naming: null, progress);
        return outcomes[0];
    }

    /// <summary>
    /// Ingests the files of one group (the rank files of one capture, or one lone file) and stores all their runs in
    /// one transaction with what their names say: for a capture, the <c>captures</c> row and each run's capture, rank,
    /// world size and time offset (<see cref="CaptureAssigner"/>); for every file, the phase its name gives. Each file is
    /// read and segmented without holding the database, one after the other.
    /// </summary>
    /// <param name="files">One request per file, all with the same <see cref="IngestRequest.DbPath"/>; their paths must
    /// form one group as <see cref="CaptureGrouper.Group"/> forms them (names equal but for their rank part, in one
    /// folder; or a single file). Stored in the group's order (rank order), whatever the order given.</param>
    /// <param name="progress">Optional progress callback; each report names its file (<see cref="IngestProgress.TracePath"/>).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>
    /// Each file's outcome. A file that fails before the transaction (unreadable, not a trace, a graph-capture trace,
    /// a bad config...) is left out with its error and the others are stored without it, as a capture with that rank
    /// missing (a <c>capture_missing_ranks</c> warning when the world size says so); ingesting the group again once
    /// the file is fixed adds it and regroups the capture.
    /// </returns>
    /// <exception cref="ArgumentException">No files, several databases, or paths that do not form one group.</exception>
    /// <exception cref="DatabaseException">The database cannot be opened or written: nothing of the group was stored.</exception>
    public static GroupIngestOutcome IngestGroup(IReadOnlyList<IngestRequest> files, IProgress<IngestProgress>? progress = null, CancellationToken ct = default)
    {
        var (group, requests) = Order(files);
        using var main = LlmDatabase.OpenForWrite(requests[0].DbPath);
        StagingDatabase.RemoveStale(StagingDatabase.DefaultDirectory);
        // One file stays in memory until the transaction, as with Ingest; the files of a larger group are parked.
        using var parking = requests.Count > 1 ? new GroupStagingDatabase() : null;
        var prepared = new List<(int Index, PreparedFile File)>();
        var errors = new Exception?[requests.Count];
        try
        {
            for (var i = 0; i < requests.Count; i++)
            {
                PreparedFile? file = null;
                try
                {
                    file = PreparedFile.Prepare(requests[i], PreparedFile.Check(requests[i]), main, progress, ct);
                    if (parking is not null) file.Park(parking);
                    prepared.Add((i, file));
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    file?.Dispose();
                    errors[i] = ex;
                }
            }
            var (outcomes, capture) = prepared.Count == 0
                ? ([], null)
                : Store(main, requests[0].DbPath, prepared.Select(p => p.File).ToList(), parking, group, progress);
            var results = requests.Select((r, i) => new GroupFileOutcome(r.TracePath, null, errors[i])).ToArray();
            for (var k = 0; k < prepared.Count; k++) results[prepared[k].Index] = new GroupFileOutcome(requests[prepared[k].Index].TracePath, outcomes[k], null);
            return new GroupIngestOutcome(results, capture?.CaptureId is null ? null : capture);
        }
        finally
        {
            foreach (var (_, file) in prepared) file.Dispose();
        }
    }

    /// <summary>
    /// Groups stored runs of lone files (names without a rank) that sit in one folder and whose
    /// <c>distributedInfo</c> gives distinct ranks of one world size above 1 into one capture each
    /// (<see cref="CaptureAssigner.AssignByDistributedInfo"/>), one transaction per capture. Unlike a group of rank
    /// files, such a set is known only once every file is read, so its runs are grouped after they are stored.
    /// </summary>
    /// <param name="dbPath">The database.</param>
    /// <param name="lone">The lone files with their (first) run ids.</param>
    /// <returns>One assignment per capture formed.</returns>
    /// <exception cref="DatabaseException">The database cannot be opened or written.</exception>
    public static IReadOnlyList<CaptureAssignment> GroupByDistributedInfo(string dbPath, IReadOnlyList<(TraceFileName File, long RunId)> lone)
    {
        using var main = LlmDatabase.OpenForWrite(dbPath);
        try
        {
            return CaptureAssigner.AssignByDistributedInfo(main, lone);
        }
        catch (SqliteException ex)
        {
            throw LlmDatabase.Translate(dbPath, ex);
        }
    }

    /// <summary>The one group <paramref name="files"/> form, and their requests in its order.</summary>
    private static (CaptureGroup Group, IReadOnlyList<IngestRequest> Requests) Order(IReadOnlyList<IngestRequest> files)
    {
        if (files.Count == 0) throw new ArgumentException("IngestGroup needs at least one file", nameof(files));
        if (files.Select(f => f.DbPath).Distinct(StringComparer.Ordinal).Count() > 1)
            throw new ArgumentException($"the files of one group go into one database, not {string.Join(", ", files.Select(f => f.DbPath).Distinct(StringComparer.Ordinal))}", nameof(files));
        var byPath = new Dictionary<string, IngestRequest>(StringComparer.Ordinal);
        foreach (var f in files)
            if (!byPath.TryAdd(Path.GetFullPath(f.TracePath), f))
                throw new ArgumentException($"{f.TracePath} is given twice", nameof(files));
        var groups = CaptureGrouper.Group(files.Select(f => f.TracePath));
        if (groups.Count != 1)
            throw new ArgumentException($"the files form {groups.Count} groups, not one ({string.Join("; ", groups.Select(g => g.Name ?? Path.GetFileName(g.Files[0].Path)))}); ingest each group on its own", nameof(files));
        return (groups[0], groups[0].Files.Select(f => byPath[Path.GetFullPath(f.Path)]).ToList());
    }

    /// <summary>
    /// Stores the runs of <paramref name="files"/> in one transaction, in order: per file, the duplicate check, run ids,
    /// the staged rows, the <c>runs</c> rows and the rest of each run (<see cref="RunStager.Write"/>), a merged file's
    /// capture; then what <paramref name="naming"/>'s names say (phases; the capture of a group of rank files); commit.
    /// </summary>
    /// <param name="main">The user's database.</param>
    /// <param name="dbPath">Its path (for error messages).</param>
    /// <param name="files">The files, read; all parked in <paramref name="group"/>, or one file held in memory.</param>
    /// <param name="group">The group staging database of parked files; null for one file in memory.</param>
    /// <param name="naming">The group whose names give phases and capture; null: the names are not used (<see cref="Ingest"/>).</param>
    /// <param name="progress">Receives a <c>writing</c> report per file.</param>
    /// <returns>Each file's outcome, in order, and the group's capture assignment (null without <paramref name="naming"/>).</returns>
    /// <exception cref="DatabaseException">The database cannot be written (nothing was stored).</exception>
    private static (IReadOnlyList<IngestOutcome> Outcomes, CaptureAssignment? Capture) Store(SqliteConnection main, string dbPath,
        IReadOnlyList<PreparedFile> files, GroupStagingDatabase? group, CaptureGroup? naming, IProgress<IngestProgress>? progress)
    {
        var inMemory = files.Where(f => f.ExistingRunId is null && !f.IsParked).ToList();
        if (group is null ? files.Count != 1 : inMemory.Count > 0)
            throw new InvalidOperationException("Store takes one file in memory, or files parked in one group staging database");
        var stagings = group is not null ? [group.Path] : inMemory.SelectMany(f => f.Parts.Select(p => p.Staging.Path)).ToList();
        var stored = new List<(long[] RunIds, string? AlreadyPresent)>();
        var storedHere = new HashSet<long>();
        CaptureAssignment? capture = null;
        try
        {
            using var merger = RunMerger.Begin(main, stagings);
            foreach (var file in files)
            {
                var request = file.Request;
                if (file.ExistingRunId is long existing)
                {
                    stored.Add(([existing], $"already present as run {existing} (same file SHA-256 and segmentation options; --force ingests it again){UnappliedMetadata(request, existing)}"));
                    continue;
                }
                if (file.IsParked) file.Clock.Start();
                var context = file.Context!;
                progress?.Report(new IngestProgress("writing", context.Read.JsonBytes, context.FileBytes, context.FileBytes, request.TracePath));
                if (!request.Force && merger.FindExisting(context.Sha256, context.OptionsKey) is long found)
                {
                    // Stored earlier in this transaction: an identical file of the group, found as the duplicate check
                    // before reading finds a stored one.
                    var why = storedHere.Contains(found)
                        ? "same file SHA-256 and segmentation options; --force ingests it again"
                        : "ingested meanwhile by another process";
                    stored.Add(([found], $"already present as run {found} ({why}){UnappliedMetadata(request, found)}"));
                    if (file.IsParked) file.Clock.Stop();
                    continue;
                }
                var first = merger.NextRunId();
                var runIds = Enumerable.Range(0, file.Parts.Count).Select(i => first + i).ToArray();
                if (file.IsParked)
                {
                    var parked = file.Staged();
                    for (var i = 0; i < runIds.Length; i++) merger.CopyStaged(0, parked[i].Parked!.RunId, runIds[i], StagingDatabase.StagedTables);
                }
                else
                {
                    for (var i = 0; i < runIds.Length; i++) merger.CopyStaged(i, 0, runIds[i], StagingDatabase.StagedTables);
                }
                file.Timing.Mark("copy staged rows");
                // A file in memory: its kernel rows go in while the worker thread segments it (a row holds no label).
                var written = new RunStager.WrittenKernels?[runIds.Length];
                if (!file.IsParked)
                {
                    for (var i = 0; i < runIds.Length; i++) written[i] = RunStager.WriteKernels(file.KernelsReady(i), context, merger, runIds[i]);
                    file.Timing.Mark("write kernels");
                }
                var staged = file.Staged();
                file.Timing.Mark("wait for segmentation");
                for (var i = 0; i < runIds.Length; i++)
                {
                    merger.InsertRun(runIds[i], staged[i].Run);
                    RunStager.Write(staged[i], context, file.Companions, merger, runIds[i], written[i]);
                    storedHere.Add(runIds[i]);
                }
                if (file.Parts.Count > 1)
                    CaptureAssigner.AssignMergedFile(main, merger.Transaction, Path.GetFileName(request.TracePath) + " (merged ranks)",
                        runIds.Select((id, i) => (id, file.Parts[i].Rank ?? i)).ToList());
                stored.Add((runIds, null));
                if (file.IsParked) file.Clock.Stop();
            }
            if (naming is not null)
            {
                var names = naming.Files.ToDictionary(f => Path.GetFullPath(f.Path), StringComparer.Ordinal);
                capture = CaptureAssigner.Assign(main, merger.Transaction, naming,
                    files.Select((f, k) => (names[Path.GetFullPath(f.Request.TracePath)], stored[k].RunIds[0])).ToList());
            }
            merger.Commit();
        }
        catch (SqliteException ex)
        {
            throw LlmDatabase.Translate(dbPath, ex);
        }
        var outcomes = new List<IngestOutcome>();
        for (var k = 0; k < files.Count; k++)
        {
            var file = files[k];
            if (file.IsParked) file.Clock.Start();
            if (file.ExistingRunId is null)
            {
                file.Timing.Mark("merge");
                file.Timing.Report(file.Clock);
            }
            var (runIds, already) = stored[k];
            outcomes.Add(already is not null
                ? new IngestOutcome(runIds[0], true, already, [], 0, file.Context?.Read.JsonBytes ?? 0, file.Clock.Elapsed)
                : Outcome(file, runIds));
        }
        return (outcomes, capture);
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

    private static IngestOutcome Outcome(PreparedFile file, IReadOnlyList<long> runIds)
    {
        var (trace, context, parts, staged) = (file.Request.TracePath, file.Context!, file.Parts, file.Staged());
        var (setup, read, elapsed) = (context.Setup, context.Read, file.Clock.Elapsed);
        var paragraphs = new List<string>();
        var warnings = new List<string>();
        var concatenated = parts.Any(p => p.Label?.StartsWith("document ", StringComparison.Ordinal) == true);
        for (var i = 0; i < parts.Count; i++)
        {
            var w = parts[i].Normalizer.Warnings;
            var paragraph = IngestSummary.Paragraph(runIds[i], trace, staged[i].Run, read, setup, staged[i].Results, w, elapsed);
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
            staged.Sum(s => s.Run.KernelCount), read.JsonBytes, elapsed) { RunIds = runIds, Phases = staged.Select(s => s.Phases).ToList() };
    }
}
