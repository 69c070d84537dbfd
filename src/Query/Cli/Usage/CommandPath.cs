using System.CommandLine;

namespace LlmPipeline.Query.Cli.Usage;

/// <summary>The words that name a command after <c>llmpipe</c> (<c>runs tag</c>), for messages and help hints.</summary>
public static class CommandPath
{
    /// <summary><paramref name="command"/>'s name after its parents' (empty for the root command).</summary>
    public static string Of(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var names = new List<string>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, c.Name);
        return string.Join(' ', names);
    }
}
