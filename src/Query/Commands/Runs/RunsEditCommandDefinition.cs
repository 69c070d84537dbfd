using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Runs;

/// <summary>The <c>llmpipe runs tag</c>, <c>runs label</c> and <c>runs rm</c> subcommands.</summary>
public sealed class RunsEditCommandDefinition
{
    /// <summary>Builds the three subcommands.</summary>
    public RunsEditCommandDefinition()
    {
        var tagPair = new Argument<string>("KEY=VALUE") { Description = "Tag to set (an existing key is replaced)" };
        var tagRun = RunId();
        var tagDb = CommonOptions.Db();
        Tag = new Command("tag", """
            Set a KEY=VALUE tag of a run (runs.tags, a JSON object).

            Example:
              llmpipe runs tag 3 commit=abc123
            """) { tagRun, tagPair, tagDb };
        CommandRunner.SetAction(Tag, (p, io) => RunsEditCommandAction.Tag(p.GetValue(tagDb)!, p.GetValue(tagRun), p.GetValue(tagPair)!, io));

        var labelText = new Argument<string>("TEXT") { Description = "New label" };
        var labelRun = RunId();
        var labelDb = CommonOptions.Db();
        Label = new Command("label", """
            Set the free-text label of a run.

            Example:
              llmpipe runs label 3 "vllm 0.11 nightly"
            """) { labelRun, labelText, labelDb };
        CommandRunner.SetAction(Label, (p, io) => RunsEditCommandAction.Label(p.GetValue(labelDb)!, p.GetValue(labelRun), p.GetValue(labelText)!, io));

        var rmRun = RunId();
        var rmDb = CommonOptions.Db();
        Remove = new Command("rm", """
            Remove a run: every row of it from every table with a run_id column, in one transaction. Other runs are
            untouched; a capture left without runs is removed, and the remaining ranks of its capture are aligned again.

            Example:
              llmpipe runs rm 3
            """) { rmRun, rmDb };
        CommandRunner.SetAction(Remove, (p, io) => RunsEditCommandAction.Remove(p.GetValue(rmDb)!, p.GetValue(rmRun), io));
    }

    /// <summary><c>runs tag ID KEY=VALUE</c>.</summary>
    public Command Tag { get; }

    /// <summary><c>runs label ID TEXT</c>.</summary>
    public Command Label { get; }

    /// <summary><c>runs rm ID</c>.</summary>
    public Command Remove { get; }

    private static Argument<long> RunId() => new("ID") { Description = "Run id (see 'llmpipe runs')" };
}
