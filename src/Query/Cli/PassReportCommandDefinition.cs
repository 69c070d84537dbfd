using System.CommandLine;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// A per-pass report whose options are exactly <see cref="PassReportOptions.All"/> (<c>--db</c>, <c>--format</c>,
/// <c>--run</c>, <c>--pass</c>, <c>--device</c>, <c>--phase</c>, in that order): <c>layers</c> and <c>clusters</c>.
/// A subclass gives the command's name, its help text and its action; the definition opens the database and resolves
/// the run, device and pass (<see cref="PassReportOptions.ResolveScope"/>) before the action runs.
/// </summary>
public abstract class PassReportCommandDefinition
{
    /// <summary>Builds the command with the six options and <paramref name="action"/> behind the shared error handling (<see cref="CommandRunner"/>).</summary>
    /// <param name="name">The command's name (<c>layers</c>).</param>
    /// <param name="description">Its help text, ending with an example.</param>
    /// <param name="action">Prints the report of the resolved pass and returns the exit code.</param>
    protected PassReportCommandDefinition(string name, string description, Func<PassReportContext, int> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Command = new Command(name, description);
        foreach (var option in Options.All) Command.Add(option);
        CommandRunner.SetAction(Command, (parse, io) =>
        {
            using var db = Options.OpenDatabase(parse);
            var scope = Options.ResolveScope(db, parse, io.Error);
            return action(new PassReportContext(db, scope, Options.OutputFormat(parse), io, Options.ColumnSelection(parse)));
        });
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>Its options.</summary>
    public PassReportOptions Options { get; } = new();
}
