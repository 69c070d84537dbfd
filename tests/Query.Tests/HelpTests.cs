using System.CommandLine;
using System.Text.RegularExpressions;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Cli.Usage;
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

    [Theory]
    [MemberData(nameof(AllCommands))]
    public void Help_fits_100_columns(string command)
    {
        var r = Llmpipe.Run([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        var widest = r.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).MaxBy(l => l.Length)!;
        Assert.True(widest.Length <= HelpLayout.Width, $"{widest.Length} columns: {widest}");
    }

    [Fact]
    public void Root_help_lists_each_command_with_what_it_does_in_a_few_words()
    {
        var help = Llmpipe.Run("--help").Stdout.Replace("\r", "", StringComparison.Ordinal);
        Assert.Contains("\n  runs          List the runs in the database\n", help, StringComparison.Ordinal);
        Assert.Contains("\n  compare       Compare runs key by key\n", help, StringComparison.Ordinal);
        Assert.DoesNotContain("Examples:\n    llmpipe ingest sglang", help, StringComparison.Ordinal); // a command's own help has its examples
    }

    [Theory]
    [InlineData("Print every forward pass: start and end. More.", "Print every forward pass")]
    [InlineData("Rank skew of a capture (the rank files: all of them): per layer", "Rank skew of a capture (the rank files: all of them)")]
    [InlineData("Compare runs key by key. Then the rest", "Compare runs key by key")]
    [InlineData("One line only.", "One line only")]
    [InlineData("First paragraph\nwrapped.\n\nSecond: not used", "First paragraph wrapped")]
    public void Summary_is_the_first_sentence_up_to_a_colon_outside_parentheses(string description, string expected) =>
        Assert.Equal(expected, HelpLayout.Summary(description));

    [Fact]
    public void Reflow_joins_and_rewraps_prose_and_keeps_headings_examples_and_blank_lines()
    {
        const string description = "aaa bbb\nccc ddd eee:\nfff\n\nExamples:\n  llmpipe x --long-option value\n";
        Assert.Equal("aaa bbb ccc\nddd eee:\nfff\n\nExamples:\n  llmpipe x --long-option value\n", HelpLayout.Reflow(description, 11));
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        var r = Llmpipe.Run("frobnicate");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error:", r.Stderr);
    }
}
