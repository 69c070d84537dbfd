using System.Globalization;
using Dapper;
using LlmPipeline.Analysis.Warnings;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary>
/// What the database says about one stored run, for the ingest summary (<see cref="Ingest.IngestSummaryLines"/>) and
/// <c>llmpipe runs N --details</c> (<see cref="RunDetails"/>): its <c>runs</c> row, pass counts by phase, and its
/// <c>ingest_warnings</c> split into notes (severity <c>info</c>) and warnings (every other severity).
/// </summary>
public sealed record RunFacts
{
    /// <summary>The run id.</summary>
    public long RunId { get; init; }

    /// <summary><c>runs.source_path</c>: the trace, made absolute at ingest.</summary>
    public string SourcePath { get; init; } = "";

    /// <summary><c>runs.json_bytes</c>: bytes of decompressed JSON read; null when not recorded.</summary>
    public long? JsonBytes { get; init; }

    /// <summary><c>runs.gpu_name</c>; null or empty when the trace names none.</summary>
    public string? GpuName { get; init; }

    /// <summary><c>runs.kernel_count</c> and <c>runs.event_count</c>.</summary>
    public long KernelCount { get; init; }

    /// <summary>Trace events read.</summary>
    public long EventCount { get; init; }

    /// <summary><c>runs.framework</c> / <c>framework_source</c>.</summary>
    public string? Framework { get; init; }

    /// <summary>Why that framework.</summary>
    public string? FrameworkSource { get; init; }

    /// <summary><c>runs.model</c> / <c>model_source</c>.</summary>
    public string? Model { get; init; }

    /// <summary>Why that model.</summary>
    public string? ModelSource { get; init; }

    /// <summary><c>runs.profile</c> / <c>profile_reason</c>.</summary>
    public string Profile { get; init; } = "";

    /// <summary>Why that profile.</summary>
    public string? ProfileReason { get; init; }

    /// <summary><c>runs.anchor_kernel</c> (null: no anchor found), <c>anchor_role</c>, <c>anchor_reason</c>, <c>blocks_per_layer</c>.</summary>
    public string? AnchorKernel { get; init; }

    /// <summary><c>opens</c> or <c>closes</c>.</summary>
    public string? AnchorRole { get; init; }

    /// <summary>Why that anchor.</summary>
    public string? AnchorReason { get; init; }

    /// <summary>Anchor blocks per layer.</summary>
    public long? BlocksPerLayer { get; init; }

    /// <summary><c>runs.num_layers</c> / <c>num_layers_source</c>.</summary>
    public long? NumLayers { get; init; }

    /// <summary>Where the layer count came from.</summary>
    public string? NumLayersSource { get; init; }

    /// <summary><c>runs.layer_evidence</c> (module_scopes, template, anchor, ...) and its sentence.</summary>
    public string? LayerEvidence { get; init; }

    /// <summary>The evidence in one sentence.</summary>
    public string? LayerEvidenceDetail { get; init; }

    /// <summary><c>runs.graph_launch_api</c>, <c>replay_kernels</c>, <c>replay_attributed</c>, <c>replay_match</c>, <c>replay_captures</c>.</summary>
    public string? GraphLaunchApi { get; init; }

    /// <summary>Kernels run by graph replays; null without replays.</summary>
    public long? ReplayKernels { get; init; }

    /// <summary>Of those, kernels attributed from a capture trace.</summary>
    public long? ReplayAttributed { get; init; }

    /// <summary>How the replays were aligned.</summary>
    public string? ReplayMatch { get; init; }

    /// <summary>Capture trace files used.</summary>
    public string? ReplayCaptures { get; init; }

    /// <summary>Devices with passes.</summary>
    public long Devices { get; set; }

    /// <summary>Passes (all devices) and, of them, partial ones.</summary>
    public long Passes { get; set; }

    /// <summary>Partial passes (the trace starts or ends inside them).</summary>
    public long PartialPasses { get; set; }

    /// <summary>Passes per phase (<c>decode 30</c>, <c>mixed 6</c>), phases in name order; empty when no pass has a phase.</summary>
    public IReadOnlyList<(string Phase, long Passes)> Phases { get; set; } = [];

    /// <summary>The run's stored warnings of severity <c>info</c>: notes, said once at ingest.</summary>
    public IReadOnlyList<StoredWarning> Notes { get; set; } = [];

    /// <summary>The run's stored warnings of every other severity (and kinds this version does not know).</summary>
    public IReadOnlyList<StoredWarning> Warnings { get; set; } = [];

    /// <summary>The trace's file name.</summary>
    public string FileName => Path.GetFileName(SourcePath);

    /// <summary>Reads run <paramref name="runId"/>; null when the database has no such run.</summary>
    /// <param name="connection">An open connection to an LlmPipeline database.</param>
    /// <param name="runId">The run.</param>
    public static RunFacts? Load(SqliteConnection connection, long runId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var facts = connection.QuerySingleOrDefault<RunFacts>("""
            SELECT run_id AS RunId, source_path AS SourcePath, json_bytes AS JsonBytes, gpu_name AS GpuName, kernel_count AS KernelCount,
                   event_count AS EventCount, framework AS Framework, framework_source AS FrameworkSource, model AS Model,
                   model_source AS ModelSource, profile AS Profile, profile_reason AS ProfileReason, anchor_kernel AS AnchorKernel,
                   anchor_role AS AnchorRole, anchor_reason AS AnchorReason, blocks_per_layer AS BlocksPerLayer, num_layers AS NumLayers,
                   num_layers_source AS NumLayersSource, layer_evidence AS LayerEvidence, layer_evidence_detail AS LayerEvidenceDetail,
                   graph_launch_api AS GraphLaunchApi, replay_kernels AS ReplayKernels, replay_attributed AS ReplayAttributed,
                   replay_match AS ReplayMatch, replay_captures AS ReplayCaptures
            FROM runs WHERE run_id = @runId
            """, new { runId });
        if (facts is null) return null;
        var (devices, passes, partial) = connection.QuerySingle<(long, long, long)>(
            "SELECT COUNT(DISTINCT device), COUNT(*), COALESCE(SUM(is_partial), 0) FROM passes WHERE run_id = @runId", new { runId });
        facts.Devices = devices;
        facts.Passes = passes;
        facts.PartialPasses = partial;
        facts.Phases = connection.Query<(string, long)>(
            "SELECT phase, COUNT(*) FROM passes WHERE run_id = @runId AND phase IS NOT NULL GROUP BY phase ORDER BY phase", new { runId }).ToList();
        var stored = connection.Query<StoredWarning>(
            "SELECT kind AS Kind, count AS Count, detail AS Detail FROM ingest_warnings WHERE run_id = @runId ORDER BY kind", new { runId }).ToList();
        facts.Notes = stored.Where(w => w.IsNote).ToList();
        facts.Warnings = stored.Where(w => !w.IsNote).ToList();
        return facts;
    }

    /// <summary><c>1 pass x 36 layers (decode 1)</c>, <c>6 passes (1 partial) x 32 layers</c>, <c>no passes</c>; with <c>on 2 devices</c> when several.</summary>
    public string PassesAndLayers()
    {
        var ci = CultureInfo.InvariantCulture;
        if (Passes == 0) return "no passes";
        var text = string.Create(ci, $"{Passes} pass{(Passes == 1 ? "" : "es")}");
        if (PartialPasses > 0) text += string.Create(ci, $" ({PartialPasses} partial)");
        if (NumLayers is long layers) text += string.Create(ci, $" x {layers} layers");
        if (Devices > 1) text += string.Create(ci, $" on {Devices} devices");
        if (Phases.Count > 0) text += " (" + string.Join(", ", Phases.Select(p => string.Create(ci, $"{p.Phase} {p.Passes}"))) + ")";
        return text;
    }

    /// <summary>The graph-replay attribution in words (<c>544 of 544 kernels of hipGraphLaunch replays took op, shapes and modules from X, aligned by sequence</c>); null when no replay kernel was attributed.</summary>
    public string? ReplayAttribution() => ReplayAttributed is > 0 && ReplayKernels is long total
        ? string.Create(CultureInfo.InvariantCulture,
            $"graph replays: {ReplayAttributed} of {total} kernels of {GraphLaunchApi ?? "graph"} replays took op, shapes and modules from {ReplayCaptures ?? "a capture trace"}, aligned by {ReplayMatch ?? "launch order"}")
        : null;
}

/// <summary>One row of <c>ingest_warnings</c>.</summary>
/// <param name="Kind">The kind's code.</param>
/// <param name="Count">Occurrences.</param>
/// <param name="Detail">The first occurrence in words.</param>
public sealed record StoredWarning(string Kind, long Count, string? Detail)
{
    /// <summary>Whether the catalogue gives the kind severity <c>info</c> (a note, not a warning); unknown kinds are warnings.</summary>
    public bool IsNote => WarningCatalog.IsNote(Kind);
}
