using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Resegment;

/// <summary>
/// <c>llmpipe resegment --run ID [--profile NAME|FILE] [--anchor-kernel S] [--anchor-role opens|closes] [--num-layers N]
/// [--step-markers FILE]</c>:
/// recompute a run's passes and layers from its stored kernels (issue 3; docs/segmentation.md, 'Stored segmentation').
/// </summary>
public sealed class ResegmentCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public ResegmentCommandDefinition()
    {
        Command = new Command("resegment", """
            Recompute a run's forward passes and layers from the kernels stored in the database, without the trace
            file, in one transaction (an error leaves the database as it was). Kernel rows are not rewritten: their
            labels (pass, layer, block, half, role) and categories are replaced with the passes, layers, anchor
            candidates and category rules. Options given at ingest (--num-layers, --anchor-kernel with its role) stay
            unless given again; --num-layers 0 forgets an earlier --num-layers (config, else detection). Pass phases
            are assigned again with the built-in step markers, or with --step-markers FILE tried first (the file is
            not stored: give it again at every resegment).

            Examples:
              llmpipe resegment --run 1 --num-layers 36
              llmpipe resegment --run 1 --anchor-kernel mhc_post_tilelang --anchor-role closes
              llmpipe resegment --run 2 --profile my_profile.json
              llmpipe resegment --run 3 --step-markers my_engine_markers.json
            """) { Db, Run, Profile, AnchorKernel, AnchorRole, NumLayers, StepMarkers };
        CommandRunner.SetAction(Command, (parse, io) => ResegmentCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--run</c>.</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: true);

    /// <summary><c>--profile</c>.</summary>
    public Option<string?> Profile { get; } = new("--profile") { Description = "Profile name (see 'llmpipe profiles list') or profile JSON file [default: the run's profile]", HelpName = "NAME|FILE" };

    /// <summary><c>--anchor-kernel</c>.</summary>
    public Option<string?> AnchorKernel { get; } = new("--anchor-kernel") { Description = "Anchor kernel name pattern (case-insensitive substring) [default: as at ingest: the flag given then, else the profile's, else detected]", HelpName = "S" };

    /// <summary><c>--anchor-role</c>.</summary>
    public Option<string?> AnchorRole { get; } = new Option<string?>("--anchor-role") { Description = "Whether the anchor opens or closes its block [default: as at ingest, else the profile's]", HelpName = "opens|closes" }
        .AcceptOnlyFromAmong("opens", "closes");

    /// <summary><c>--num-layers</c>.</summary>
    public Option<int?> NumLayers { get; } = new("--num-layers") { Description = "Transformer layers per pass; 0 = config, else detected [default: as at ingest]", HelpName = "N" };

    /// <summary><c>--step-markers</c> (issue 4: step-marker grammars as data).</summary>
    public Option<string?> StepMarkers { get; } = new("--step-markers") { Description = "Phase-rules JSON (step_markers and/or attention_signatures, the format of the built-in step_markers.json) tried before the built-in rules [default: built-in rules only]", HelpName = "FILE" };
}
