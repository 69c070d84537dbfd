using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace LlmPipeline.Query.Cli.Usage;

/// <summary>
/// Gives every integer option and argument of the command tree (<c>int</c>, <c>int?</c>, <c>long</c>, <c>long?</c>) a
/// parser whose error names the option and the expected form, once for all commands:
/// <c>--run: 'abc' is not an integer (expected --run ID)</c> instead of System.CommandLine's
/// "Cannot parse argument 'abc' for option '--run' as expected type 'System.Nullable`1[System.Int64]'".
/// Options and arguments that already have a custom parser (<c>--run 1,2</c> lists) keep it.
/// </summary>
public static class IntegerValueParsers
{
    /// <summary>Sets the parsers on <paramref name="command"/>'s options and arguments and on those of every subcommand below it.</summary>
    public static void Apply(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in command.Options)
        {
            var form = Form(option.Name, option.HelpName);
            switch (option)
            {
                case Option<int?> o when o.CustomParser is null: o.CustomParser = r => (int?)Parse(r, option.Name, form, int.MinValue, int.MaxValue); break;
                case Option<int> o when o.CustomParser is null: o.CustomParser = r => (int)Parse(r, option.Name, form, int.MinValue, int.MaxValue); break;
                case Option<long?> o when o.CustomParser is null: o.CustomParser = r => Parse(r, option.Name, form, long.MinValue, long.MaxValue); break;
                case Option<long> o when o.CustomParser is null: o.CustomParser = r => Parse(r, option.Name, form, long.MinValue, long.MaxValue); break;
            }
        }
        foreach (var argument in command.Arguments)
        {
            var form = $"llmpipe {CommandPath.Of(command)} {string.Join(' ', command.Arguments.Select(a => a.Name))}";
            // 'runs tga': the word may have been meant as a subcommand.
            if (command.Subcommands.Count > 0)
                form += $", or a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
            switch (argument)
            {
                case Argument<long> a when a.CustomParser is null: a.CustomParser = r => Parse(r, argument.Name, form, long.MinValue, long.MaxValue); break;
                case Argument<long?> a when a.CustomParser is null: a.CustomParser = r => Parse(r, argument.Name, form, long.MinValue, long.MaxValue); break;
                case Argument<int> a when a.CustomParser is null: a.CustomParser = r => (int)Parse(r, argument.Name, form, int.MinValue, int.MaxValue); break;
            }
        }
        foreach (var sub in command.Subcommands) Apply(sub);
    }

    /// <summary>The subcommand names of the command whose argument <paramref name="result"/> is (none for an option's value).</summary>
    private static IEnumerable<string> Commands(ArgumentResult result) =>
        result.Parent is CommandResult command ? command.Command.Subcommands.Select(c => c.Name) : [];

    /// <summary><c>--run ID</c> from the option's name and help name (<c>--run VALUE</c> when it has none).</summary>
    private static string Form(string name, string? helpName) => $"{name} {helpName ?? "VALUE"}";

    /// <summary>
    /// The single token as an integer in [<paramref name="min"/>, <paramref name="max"/>]; otherwise an error on
    /// <paramref name="result"/> that names <paramref name="name"/>, the token and <paramref name="form"/>, and 0.
    /// </summary>
    private static long Parse(ArgumentResult result, string name, string form, long min, long max)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (token.StartsWith("--", StringComparison.Ordinal))
        {
            result.AddError($"{name} needs a value (expected {form}); '{token}' is an option");
            return 0;
        }
        var digits = token.Length > 0 && token.TrimStart('-', '+').Length > 0 && token.TrimStart('-', '+').All(char.IsAsciiDigit);
        if (!digits)
        {
            var what = double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "not a whole number" : "not an integer";
            result.AddError($"{name}: '{token}' is {what} (expected {form}){Suggestions.DidYouMean(token, Commands(result))}");
            return 0;
        }
        if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            result.AddError($"{name}: '{token}' is out of range (expected {form}, from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)})");
            return 0;
        }
        return value;
    }
}
