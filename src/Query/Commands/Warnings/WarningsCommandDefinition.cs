using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Warnings;

/// <summary><c>llmpipe warnings --run ID</c>: every repair, set-aside event and segmentation warning of a run.</summary>
public sealed class WarningsCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public WarningsCommandDefinition()
    {
        Command = new Command("warnings", """
            List what ingest repaired, set aside or could not segment in a run, counted per kind, with the byte offset
            of the first occurrence in the decompressed stream (table ingest_warnings).

            Example:
              llmpipe warnings --run 1
            """) { Db, Format, Run };
        CommandRunner.SetAction(Command, (parse, io) => WarningsCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--format</c>.</summary>
    public Option<string> Format { get; } = CommonOptions.Format();

    /// <summary><c>--run</c>.</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: true);
}
