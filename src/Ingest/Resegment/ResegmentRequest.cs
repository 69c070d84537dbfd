using LlmPipeline.Analysis.Segmentation;

namespace LlmPipeline.Ingest.Resegment;

/// <summary>
/// What <see cref="RunResegmenter"/> recomputes for a stored run. Each null field keeps what the run has: the
/// profile stored in <c>runs.profile</c>, and the options given at ingest (<c>--num-layers</c>, <c>--anchor-kernel</c>
/// with its role); everything else comes again from the profile, the stored config and the kernels.
/// </summary>
/// <param name="DbPath">The database file (must exist).</param>
/// <param name="RunId">The run to recompute.</param>
/// <param name="Profile">Built-in profile name or profile JSON file; null keeps the run's profile.</param>
/// <param name="AnchorKernel">Anchor kernel pattern (case-insensitive substring); null keeps an ingest-time
/// <c>--anchor-kernel</c>, else the profile's or a detected anchor.</param>
/// <param name="AnchorRole">Anchor role; null keeps the one given with an ingest-time <c>--anchor-kernel</c>, else the profile's.</param>
/// <param name="NumLayers">Layers per pass; null keeps an ingest-time <c>--num-layers</c>; 0 forgets it (config, else detection).</param>
/// <param name="StepMarkers">A step-markers JSON file whose grammars are tried before the built-in ones; null: built-in only.</param>
public sealed record ResegmentRequest(
    string DbPath,
    long RunId,
    string? Profile = null,
    string? AnchorKernel = null,
    AnchorRole? AnchorRole = null,
    int? NumLayers = null,
    string? StepMarkers = null);
