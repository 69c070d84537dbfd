using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Warnings;

/// <summary>
/// <c>llmpipe warnings --run ID</c>: every repair, set-aside event and segmentation warning of a run, with what to do;
/// <c>llmpipe warnings --kinds</c>: every kind ingest can store (the warning catalogue, = docs/warnings.md).
/// </summary>
public sealed class WarningsCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public WarningsCommandDefinition()
    {
        Command = new Command("warnings", """
            List what ingest repaired, set aside or could not segment in a run, counted per kind, with the byte offset
            of the first occurrence in the decompressed stream (table ingest_warnings), the kind's severity and what
            to do. With --kinds, list every kind ingest can store: its severity, the stage that writes it, what it
            means, what to do and where the problem comes from (needs no database; the repository's
            docs/warnings.md is its markdown output).

            Examples:
              llmpipe warnings --run 1
              llmpipe warnings --kinds
              llmpipe warnings --kinds --format csv
            """) { Db, Format, Columns, Wide, Run, Kinds };
        CommandRunner.SetAction(Command, (parse, io) => WarningsCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--format</c>.</summary>
    public Option<string> Format { get; } = CommonOptions.Format();

    /// <summary><c>--columns</c> (a run's warnings).</summary>
    public Option<string?> Columns { get; } = CommonOptions.Columns();

    /// <summary><c>--wide</c> (a run's warnings).</summary>
    public Option<bool> Wide { get; } = CommonOptions.Wide();

    /// <summary><c>--run</c>: the run whose warnings are listed (required unless <see cref="Kinds"/>).</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: false);

    /// <summary><c>--kinds</c>: list the warning catalogue instead of a run's warnings.</summary>
    public Option<bool> Kinds { get; } = new("--kinds")
    {
        Description = "List every warning kind ingest can store (severity, stage, meaning, what to do, source) instead of a run's warnings",
    };
}
