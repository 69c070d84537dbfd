using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Profiles;

/// <summary><c>llmpipe profiles list | show NAME | validate FILE</c>: the model profiles (docs/profiles.md: profiles are data).</summary>
public sealed class ProfilesCommandDefinition
{
    /// <summary>Builds the command and its three subcommands.</summary>
    public ProfilesCommandDefinition()
    {
        List = new Command("list", """
            List the built-in profiles: name, anchor kernel and role, blocks per layer, half labels, default layer
            count, number of own category rules.

            Example:
              llmpipe profiles list
            """) { ListFormat, ListColumns, ListWide };
        Show = new Command("show", """
            Print a profile (built-in name or file) as the JSON file a user would copy and edit.

            Example:
              llmpipe profiles show dsv4_csa_hca > my_profile.json
            """) { ShowName };
        Validate = new Command("validate", """
            Check a profile JSON file; an invalid file is reported with the faulty field (exit code 1).

            Example:
              llmpipe profiles validate my_profile.json
            """) { ValidateFile };
        Command = new Command("profiles", """
            Model profiles: how layers are found (anchor kernel, role, blocks per layer) and how kernels are
            categorized. Built-ins ship as JSON; pass your own file to ingest with --profile FILE.

            Examples:
              llmpipe profiles list
              llmpipe profiles show generic
              llmpipe profiles validate my_profile.json
            """) { List, Show, Validate };
        CommandRunner.SetAction(List, (parse, io) => ProfilesCommandAction.RunList(this, parse, io));
        CommandRunner.SetAction(Show, (parse, io) => ProfilesCommandAction.RunShow(this, parse, io));
        CommandRunner.SetAction(Validate, (parse, io) => ProfilesCommandAction.RunValidate(this, parse, io));
    }

    /// <summary>The <c>profiles</c> command.</summary>
    public Command Command { get; }

    /// <summary><c>profiles list</c>.</summary>
    public Command List { get; }

    /// <summary><c>profiles show</c>.</summary>
    public Command Show { get; }

    /// <summary><c>profiles validate</c>.</summary>
    public Command Validate { get; }

    /// <summary><c>--format</c> of <c>list</c>.</summary>
    public Option<string> ListFormat { get; } = CommonOptions.Format();

    /// <summary><c>--columns</c> of <c>list</c>.</summary>
    public Option<string?> ListColumns { get; } = CommonOptions.Columns();

    /// <summary><c>--wide</c> of <c>list</c>.</summary>
    public Option<bool> ListWide { get; } = CommonOptions.Wide();

    /// <summary>NAME of <c>show</c>.</summary>
    public Argument<string> ShowName { get; } = new("NAME") { Description = "Built-in profile name or profile JSON file" };

    /// <summary>FILE of <c>validate</c>.</summary>
    public Argument<string> ValidateFile { get; } = new("FILE") { Description = "Profile JSON file" };
}
