using System.CommandLine;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.Ingest.Resegment;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Resegment;

/// <summary>Runs <c>llmpipe resegment</c>: <see cref="RunResegmenter.Run"/>.</summary>
public static class ResegmentCommandAction
{
    /// <summary>Recomputes the run; prints the summary on stdout and the new segmentation warnings on stderr.</summary>
    /// <exception cref="UsageException">A negative <c>--num-layers</c>.</exception>
    /// <exception cref="LlmPipeline.Analysis.Profiles.ProfileFormatException">A bad <c>--step-markers</c> file (nothing is changed).</exception>
    public static int Run(ResegmentCommandDefinition def, ParseResult parse, CliIO io)
    {
        var numLayers = parse.GetValue(def.NumLayers);
        if (numLayers is < 0) throw new UsageException($"--num-layers {numLayers}: give a positive layer count, or 0 to use the config or detection");
        var role = parse.GetValue(def.AnchorRole) switch
        {
            "opens" => AnchorRole.Opens,
            "closes" => AnchorRole.Closes,
            _ => (AnchorRole?)null,
        };
        var stepMarkers = parse.GetValue(def.StepMarkers);
        var request = new ResegmentRequest(parse.GetValue(def.Db)!, parse.GetValue(def.Run)!.Value, parse.GetValue(def.Profile),
            parse.GetValue(def.AnchorKernel), role, numLayers, stepMarkers);
        var outcome = RunResegmenter.Run(request); // a bad --step-markers file fails before any change
        var code = Report(outcome, io);
        if (stepMarkers is not null) io.Output.WriteLine(outcome.Phases.Describe(request.RunId, stepMarkers));
        return code;
    }

    /// <summary>Prints an outcome (shared with <c>recategorize</c>).</summary>
    public static int Report(ResegmentOutcome outcome, CliIO io)
    {
        io.Output.WriteLine(outcome.Summary);
        foreach (var warning in outcome.Warnings)
            io.Error.WriteLine($"{WarningLinePrefix.For(warning)}: run {outcome.RunId}: {warning}");
        return ExitCodes.Ok;
    }
}
