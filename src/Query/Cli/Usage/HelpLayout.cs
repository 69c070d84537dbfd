using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Cli.Usage;

/// <summary>
/// The layout of <c>--help</c> at <see cref="Width"/> columns, whatever the terminal: every command's description is
/// re-wrapped to fit (<see cref="Reflow"/>), and <c>llmpipe --help</c> lists each command with the first sentence of its
/// description (<see cref="RootHelpAction"/>) instead of every command's whole text; <c>llmpipe COMMAND --help</c> shows
/// the whole description, options and examples.
/// </summary>
public static class HelpLayout
{
    /// <summary>Width of <c>--help</c>, in characters.</summary>
    public const int Width = 100;

    /// <summary>
    /// Re-wraps <paramref name="description"/> to <paramref name="width"/> characters: runs of lines that start with a
    /// letter (prose, wrapped by hand in the source) are joined and wrapped again; lines that start with a space
    /// (examples, tables), blank lines and headings (a line ending with a colon after a blank line) are kept as they are.
    /// </summary>
    /// <param name="description">A command description; null or empty gives itself.</param>
    /// <param name="width">Maximum line length of the prose, in characters.</param>
    public static string Reflow(string? description, int width)
    {
        if (string.IsNullOrEmpty(description)) return description ?? "";
        var output = new List<string>();
        var prose = new List<string>();
        void Flush()
        {
            if (prose.Count == 0) return;
            output.AddRange(WordWrap.Lines(string.Join(' ', prose), width));
            prose.Clear();
        }
        var previous = "";
        foreach (var line in description.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            // A line ending with a colon that opens a paragraph is a heading ("Examples:"), kept on its own.
            var heading = line.EndsWith(':') && previous.Length == 0;
            previous = line;
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && !heading) { prose.Add(line.Trim()); continue; }
            Flush();
            output.Add(line);
        }
        Flush();
        return string.Join('\n', output);
    }

    /// <summary>What a command does in a few words, for the listing of <c>llmpipe --help</c>: the first sentence of
    /// <paramref name="description"/>'s first paragraph (up to a full stop followed by a space), up to its first colon
    /// outside parentheses (what follows a colon is the detail), on one line.</summary>
    public static string Summary(string? description)
    {
        if (string.IsNullOrEmpty(description)) return "";
        var paragraph = description.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n")[0].Replace('\n', ' ');
        var stop = paragraph.IndexOf(". ", StringComparison.Ordinal);
        var sentence = (stop < 0 ? paragraph : paragraph[..stop]).TrimEnd('.');
        var depth = 0;
        for (var i = 0; i + 1 < sentence.Length; i++)
        {
            if (sentence[i] == '(') depth++;
            else if (sentence[i] == ')') depth--;
            else if (depth == 0 && sentence[i] == ':' && sentence[i + 1] == ' ') return sentence[..i].Trim();
        }
        return sentence.Trim();
    }

    /// <summary>
    /// Lays out every command's help at <see cref="Width"/>: re-wraps the descriptions of <paramref name="root"/> and all
    /// its subcommands (indented by 2 in a command's own help), sets the help width, and gives the root command the
    /// short listing of <see cref="RootHelpAction"/>.
    /// </summary>
    public static void Apply(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        void Visit(Command command)
        {
            command.Description = Reflow(command.Description, Width - 2);
            foreach (var sub in command.Subcommands) Visit(sub);
        }
        Visit(root);
        foreach (var help in root.Options.OfType<HelpOption>())
            if (help.Action is HelpAction action)
            {
                action.MaxWidth = Width;
                help.Action = new RootHelpAction(root, action);
            }
    }

    /// <summary>
    /// <c>llmpipe --help</c>: the program's description, then one line per command (its name and the first sentence of
    /// its description, wrapped under itself), then the root options; any other command's help is the standard one.
    /// </summary>
    private sealed class RootHelpAction(RootCommand root, HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            if (parseResult.CommandResult.Command != root) return standard.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Description:");
            foreach (var line in (root.Description ?? "").Split('\n')) output.WriteLine(line.Length == 0 ? "" : "  " + line);
            output.WriteLine();
            output.WriteLine("Usage:");
            output.WriteLine("  llmpipe [command] [options]");
            output.WriteLine();
            output.WriteLine("Commands:");
            var pad = root.Subcommands.Max(c => c.Name.Length) + 4;
            foreach (var command in root.Subcommands.Where(c => !c.Hidden))
            {
                var lines = WordWrap.Lines(Summary(command.Description), Width - pad).ToList();
                output.WriteLine("  " + command.Name.PadRight(pad - 2) + lines.FirstOrDefault());
                foreach (var more in lines.Skip(1)) output.WriteLine(new string(' ', pad) + more);
            }
            output.WriteLine();
            output.WriteLine("Options:");
            output.WriteLine("  -?, -h, --help  Show help and usage information");
            output.WriteLine("  --version       Show version information");
            output.WriteLine();
            output.WriteLine("'llmpipe COMMAND --help' shows a command's whole description, its options and examples.");
            return 0;
        }
    }
}
