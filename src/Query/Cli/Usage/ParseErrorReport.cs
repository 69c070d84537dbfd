using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;

namespace LlmPipeline.Query.Cli.Usage;

/// <summary>
/// The lines a command line that does not parse gets on stderr (exit 2), in words: an unknown command or option with
/// "did you mean" (<c>error: unknown command 'timelin'; did you mean 'timeline'?</c>), a value outside a fixed set
/// with the set on one line (<c>error: --format: 'xml' is not one of table, text, csv, json, markdown</c>), an option
/// without its value with its form (<c>error: --run needs a value (--run ID)</c>), the other errors as
/// System.CommandLine words them (integer values already name the option, <see cref="IntegerValueParsers"/>), and
/// last the help command of the command that was meant (<c>Run 'llmpipe runs tag --help' for usage.</c>).
/// </summary>
public static class ParseErrorReport
{
    /// <summary>The error lines of <paramref name="parse"/>, each without its <c>error: </c> prefix, in order, no line twice.</summary>
    public static IReadOnlyList<string> Messages(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        var lines = new List<string>();
        var unmatched = parse.UnmatchedTokens;
        var previousWasOption = false;
        // A word after a command that takes only subcommands names a subcommand.
        var takesCommands = command.Subcommands.Count > 0 && command.Arguments.Count == 0;
        foreach (var token in unmatched)
        {
            if (token.StartsWith('-'))
            {
                lines.Add($"unknown option '{token}' for '{("llmpipe " + CommandPath.Of(command)).TrimEnd()}'{Suggestions.DidYouMean(token, OptionNames(command))}");
                previousWasOption = true;
                continue;
            }
            // The value of an unknown option just reported: not a second error.
            if (previousWasOption) { previousWasOption = false; continue; }
            lines.Add(takesCommands
                ? $"unknown command '{token}'{Suggestions.DidYouMean(token, command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)))}"
                : $"unexpected argument '{token}'");
            // After an unknown command, what follows belongs to it: one error is enough.
            if (takesCommands) break;
        }
        var described = new List<string>();
        foreach (var error in parse.Errors)
        {
            // The unmatched tokens are said below; "Required command was not provided" too, after an unknown command.
            if (error.SymbolResult is CommandResult or null
                && (unmatched.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal)) || takesCommands && command.Action is null && lines.Count > 0))
                continue;
            described.Add(Describe(error));
        }
        return described.Concat(lines).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary><c>Run 'llmpipe runs tag --help' for usage.</c> for the command the line reached.</summary>
    public static string HelpHint(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var path = CommandPath.Of(parse.CommandResult.Command);
        return $"Run 'llmpipe {(path.Length == 0 ? "" : path + " ")}--help' for usage.";
    }

    /// <summary>
    /// One error in words: a required option or argument missing, no command given, a value outside its option's
    /// fixed set, a missing value, else the parser's message.
    /// </summary>
    private static string Describe(ParseError error)
    {
        switch (error.SymbolResult)
        {
            case CommandResult commandResult:
                return DescribeCommand(commandResult, error.Message);
            case ArgumentResult { Parent: CommandResult owner, Tokens.Count: 0 } argument when argument.Argument.Arity.MinimumNumberOfValues > 0:
                return DescribeCommand(owner, error.Message);
            case OptionResult { IdentifierToken: null } required when required.Option.Required:
                return DescribeCommand((CommandResult)required.Parent!, error.Message);
        }
        var optionResult = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (optionResult is null) return error.Message;
        var option = optionResult.Option;
        var form = $"{option.Name} {option.HelpName ?? "VALUE"}";
        if (optionResult.Tokens.Count == 0 && !optionResult.Implicit && option.Arity.MinimumNumberOfValues > 0)
            return $"{option.Name} needs a value ({form})";
        var allowed = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();
        var bad = optionResult.Tokens.Select(t => t.Value).FirstOrDefault(v => allowed.Count > 0 && !allowed.Contains(v, StringComparer.Ordinal));
        if (bad is not null && option.ValueType == typeof(string))
            return $"{option.Name}: '{bad}' is not one of {string.Join(", ", allowed)}{Suggestions.DidYouMean(bad, allowed)}";
        return error.Message;
    }

    /// <summary>
    /// An error of a command as a whole: <c>--run is required (--run ID)</c>, <c>missing ID KEY=VALUE (llmpipe runs tag
    /// ID KEY=VALUE)</c>, <c>no command given; one of: ingest, runs, ...</c>; else <paramref name="message"/>.
    /// </summary>
    private static string DescribeCommand(CommandResult result, string message)
    {
        var command = result.Command;
        var option = command.Options.FirstOrDefault(o => o.Required && result.GetResult(o) is not { IdentifierToken: not null } && message.Contains($"'{o.Name}'", StringComparison.Ordinal));
        if (option is not null) return $"{option.Name} is required ({option.Name} {option.HelpName ?? "VALUE"})";
        var path = ("llmpipe " + CommandPath.Of(command)).TrimEnd();
        var missing = command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0 && result.GetResult(a) is not { Tokens.Count: > 0 }).ToList();
        if (missing.Count > 0)
            return $"missing {string.Join(' ', missing.Select(a => a.Name))} ({path} {string.Join(' ', command.Arguments.Select(a => a.Name))})";
        if (command.Subcommands.Count > 0 && command.Action is null)
            return $"no command given; '{path}' needs one of: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        return message;
    }

    /// <summary>Every name and alias of the options <paramref name="command"/> accepts, its parents' recursive ones included.</summary>
    private static IEnumerable<string> OptionNames(Command command)
    {
        var options = command.Options.ToList();
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
            options.AddRange(parent.Options.Where(o => o.Recursive));
        return options.SelectMany(o => o.Aliases.Prepend(o.Name));
    }
}
