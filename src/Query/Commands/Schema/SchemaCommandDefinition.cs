using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Schema;

/// <summary><c>llmpipe schema [--format markdown|json]</c>: every table and view with each column's type, unit and meaning.</summary>
public sealed class SchemaCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public SchemaCommandDefinition()
    {
        Command = new Command("schema", """
            Print every table and view of the database with each column's type, unit and meaning (from the comments
            in the source repository's sql/schema.sql and sql/views/*.sql, built into llmpipe). Needs no database;
            the repository's docs/schema.md is this command's markdown output.

            Examples:
              llmpipe schema
              llmpipe schema --format json > schema.json
            """) { Format };
        CommandRunner.SetAction(Command, (parse, io) => SchemaCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--format markdown|json</c>.</summary>
    public Option<string> Format { get; } = CreateFormat();

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--format")
        {
            Description = "Output format: markdown or json",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "markdown",
        };
        option.AcceptOnlyFromAmong("markdown", "json");
        return option;
    }
}
