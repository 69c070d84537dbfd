using System.CommandLine;
using LlmPipeline.Ingest.Resegment;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Commands.Resegment;

namespace LlmPipeline.Query.Commands.Recategorize;

/// <summary>Runs <c>llmpipe recategorize</c>: <see cref="RunResegmenter.Run"/> with only a profile.</summary>
public static class RecategorizeCommandAction
{
    /// <summary>Recomputes the run's categories (and its segmentation with unchanged options); prints the summary.</summary>
    public static int Run(RecategorizeCommandDefinition def, ParseResult parse, CliIO io)
    {
        var request = new ResegmentRequest(parse.GetValue(def.Db)!, parse.GetValue(def.Run)!.Value, parse.GetValue(def.Profile));
        return ResegmentCommandAction.Report(RunResegmenter.Run(request), io);
    }
}
