using System.CommandLine;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Cli;

/// <summary>Options shared by several commands, each defined once (name, description, default).</summary>
public static class CommonOptions
{
    /// <summary>Environment variable that sets the default database path.</summary>
    public const string DbEnvironmentVariable = "LLMPIPE_DB";

    /// <summary>Database file used when neither <c>--db</c> nor <c>LLMPIPE_DB</c> is given (in the current directory).</summary>
    public const string DefaultDbFile = "llmpipe.db";

    /// <summary>The default database path: <c>LLMPIPE_DB</c> when set, else <c>llmpipe.db</c> in the current directory.</summary>
    public static string DefaultDbPath() =>
        Environment.GetEnvironmentVariable(DbEnvironmentVariable) is { Length: > 0 } env ? env : DefaultDbFile;

    /// <summary><c>--db PATH</c>.</summary>
    public static Option<string> Db() => new("--db")
    {
        Description = $"Database file (${DbEnvironmentVariable} when set, else ./{DefaultDbFile})",
        HelpName = "PATH",
        DefaultValueFactory = _ => DefaultDbPath(),
    };

    /// <summary><c>--format</c> with the report formats plus <paramref name="extra"/> ones (e.g. <c>compute-flow</c>).</summary>
    public static Option<string> Format(params string[] extra)
    {
        var names = OutputFormats.Names.Concat(extra).ToArray();
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", names)} (text = table)",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong(names);
        return option;
    }

    /// <summary><c>--run ID</c>.</summary>
    public static Option<long?> Run(bool required) => new("--run", "-r")
    {
        Description = "Run id (see 'llmpipe runs')",
        HelpName = "ID",
        Required = required,
    };

    /// <summary>
    /// <c>--run ID</c>, repeatable, each value one id or several separated by commas (<c>--run 1 --run 2</c> or
    /// <c>--run 1,2</c>); the ids in the order given. A value that is not an integer is a parse error naming it.
    /// </summary>
    public static Option<long[]> RunList(string description, bool required) => new("--run", "-r")
    {
        Description = description,
        HelpName = "ID[,ID...]",
        Required = required,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result =>
        {
            var ids = new List<long>();
            foreach (var token in result.Tokens)
                foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!long.TryParse(part, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id))
                    {
                        result.AddError($"--run: '{part}' is not a run id (an integer; several: --run 1 --run 2 or --run 1,2)");
                        return [];
                    }
                    ids.Add(id);
                }
            return [.. ids];
        },
    };

    /// <summary><c>--pass N</c> (0-based pass_idx).</summary>
    public static Option<int?> Pass(string description = "Forward pass (0-based pass_idx) [default: in the most common phase (or --phase), outliers left out, the first complete pass followed by two steady-state passes, else the last complete pass]") => new("--pass", "-p")
    {
        Description = description,
        HelpName = "N",
    };

    /// <summary><c>--device N</c>.</summary>
    public static Option<int?> Device() => new("--device")
    {
        Description = "GPU device, when the run has several [default: the run's lowest device]",
        HelpName = "N",
    };

    /// <summary><c>--columns NAME[,NAME...]</c>: the columns a <c>table</c> shows (<see cref="ColumnSelection"/>).</summary>
    public static Option<string?> Columns() => new("--columns")
    {
        Description = "Columns the table shows, in this order (an unknown name lists the valid ones); csv, json and markdown always carry every column",
        HelpName = "NAME[,NAME...]",
    };

    /// <summary><c>--wide</c>: every column, no width limit (<see cref="ColumnSelection"/>).</summary>
    public static Option<bool> Wide() => new("--wide")
    {
        Description = "Show every column, not narrowed (default: a chosen set that fits 100 characters)",
    };
}
