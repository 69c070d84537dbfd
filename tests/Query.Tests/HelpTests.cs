using System.CommandLine;
using System.Text.RegularExpressions;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

/// <summary>
/// <c>--help</c> of the root and of every command and subcommand (issue 8: an example in every help). The commands
/// are walked from the command tree that <c>llmpipe</c> runs, so a new command is covered without being listed here.
/// </summary>
public sealed class HelpTests
{
    /// <summary>"" (the root), then every command path: <c>ingest</c>, <c>runs</c>, <c>runs tag</c>, ...</summary>
    public static TheoryData<string> AllCommands()
    {
        var data = new TheoryData<string> { "" };
        void Walk(Command command, string prefix)
        {
            foreach (var sub in command.Subcommands)
            {
                var path = (prefix + " " + sub.Name).Trim();
                data.Add(path);
                Walk(sub, path);
            }
        }
        Walk(LlmpipeCli.Build(), "");
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCommands))]
    public void Help_shows_an_example_of_that_very_command(string command)
    {
        var r = Llmpipe.Run([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.Equal(0, r.ExitCode);
        var usage = r.Stdout.IndexOf("Usage:", StringComparison.Ordinal);
        Assert.True(usage > 0, "no Usage: section");
        // The example is in the description, above the usage line System.CommandLine writes by itself.
        var description = r.Stdout[..usage];
        Assert.Matches(@"Examples?:\r?\n", description);
        var example = command.Length == 0 ? @"llmpipe [a-z]+(\s|$)" : $@"llmpipe {Regex.Escape(command)}(\s|$)";
        Assert.Matches(new Regex($@"(?m)^\s+{example}"), description);
    }

    [Fact]
    public void Root_help_lists_every_command()
    {
        var help = Llmpipe.Run("--help").Stdout;
        foreach (var command in LlmpipeCli.Build().Subcommands)
            Assert.Matches(new Regex($@"(?m)^\s+{Regex.Escape(command.Name)}\s"), help);
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        var r = Llmpipe.Run("frobnicate");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error:", r.Stderr);
    }
}
