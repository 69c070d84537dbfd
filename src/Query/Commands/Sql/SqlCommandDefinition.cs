using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Sql;

/// <summary><c>llmpipe sql QUERY | -f FILE [--write]</c>: ad hoc SQL over all runs, read-only unless <c>--write</c>.</summary>
public sealed class SqlCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public SqlCommandDefinition()
    {
        Command = new Command("sql", """
            Run SQL over the database (all runs; tables and the report views such as pass_timeline, layer_detail,
            layer_kernels, kernel_summary). The connection is read-only unless --write is given.

            Examples:
              llmpipe sql "SELECT run_id, pass_idx, duration_ms FROM pass_timeline WHERE phase = 'decode'"
              llmpipe sql -f compare_layers.sql --format csv
            """) { Query, File, Write, Db, Format };
        CommandRunner.SetAction(Command, (parse, io) => SqlCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>QUERY (optional when <c>--file</c> is given).</summary>
    public Argument<string?> Query { get; } = new("QUERY") { Description = "SQL text", Arity = ArgumentArity.ZeroOrOne };

    /// <summary><c>--file</c> / <c>-f</c>.</summary>
    public Option<string?> File { get; } = new("--file", "-f") { Description = "Read the SQL from this file", HelpName = "FILE" };

    /// <summary><c>--write</c>.</summary>
    public Option<bool> Write { get; } = new("--write") { Description = "Open the database for writing (UPDATE, DELETE, CREATE ...)" };

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--format</c>.</summary>
    public Option<string> Format { get; } = CommonOptions.Format();
}
