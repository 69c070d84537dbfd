using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Recategorize;

/// <summary><c>llmpipe recategorize --run ID [--profile NAME|FILE]</c>: re-apply category rules to a run's stored kernels.</summary>
public sealed class RecategorizeCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public RecategorizeCommandDefinition()
    {
        Command = new Command("recategorize", """
            Re-apply a profile's category rules ('llmpipe profiles show NAME' lists them) to the kernels stored for a
            run, without the trace file, in one transaction. Segmentation is recomputed with the same options too,
            because it depends on categories (communication counts, exposed communication, block ends); use
            'llmpipe resegment' to change the anchor or the layer count.

            Examples:
              llmpipe recategorize --run 1 --profile dsv3_mla
              llmpipe recategorize --run 1 --profile my_profile.json
              llmpipe recategorize --run 1       (the run's own profile, e.g. after an upgrade of llmpipe)
            """) { Db, Run, Profile };
        CommandRunner.SetAction(Command, (parse, io) => RecategorizeCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--run</c>.</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: true);

    /// <summary><c>--profile</c>.</summary>
    public Option<string?> Profile { get; } = new("--profile") { Description = "Profile name (see 'llmpipe profiles list') or profile JSON file [default: the run's profile]", HelpName = "NAME|FILE" };
}
