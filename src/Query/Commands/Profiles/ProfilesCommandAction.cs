using System.CommandLine;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Profiles;

/// <summary>Runs the <c>profiles</c> subcommands over <see cref="ProfileCatalog"/>.</summary>
public static class ProfilesCommandAction
{
    /// <summary>The default columns of <c>profiles list</c> (<c>--wide</c>: blocks per layer, half labels, default layer count, rule count).</summary>
    public static readonly DefaultColumns ListDefaults = new(["name", "anchor_kernel", "anchor_role", "description"]);

    /// <summary><c>profiles list</c>: one row per built-in profile.</summary>
    public static int RunList(ProfilesCommandDefinition def, ParseResult parse, CliIO io)
    {
        var rows = ProfileCatalog.BuiltIns.Select(p => new object?[]
        {
            p.Name,
            p.AnchorKernel,
            p.AnchorRole.ToString().ToLowerInvariant(),
            (long)p.BlocksPerLayer,
            string.Join(",", p.HalfLabels),
            p.DefaultNumLayers is int n ? (long)n : null,
            (long)p.CategoryRules.Count,
            p.Description,
        }).ToList();
        var table = new ResultTable(
            ["name", "anchor_kernel", "anchor_role", "blocks_per_layer", "half_labels", "default_num_layers", "own_rule_count", "description"],
            rows);
        ColumnSelection.Parse(parse.GetValue(def.ListColumns), parse.GetValue(def.ListWide))
            .Render(table, OutputFormats.Parse(parse.GetValue(def.ListFormat)!), io.Output, ListDefaults);
        return ExitCodes.Ok;
    }

    /// <summary><c>profiles show NAME</c>: the profile's JSON.</summary>
    /// <exception cref="UnknownProfileException">Neither a built-in nor a file.</exception>
    public static int RunShow(ProfilesCommandDefinition def, ParseResult parse, CliIO io)
    {
        var profile = ProfileCatalog.Get(parse.GetValue(def.ShowName)!);
        io.Output.WriteLine(ProfileCatalog.ToJson(profile).TrimEnd());
        return ExitCodes.Ok;
    }

    /// <summary><c>profiles validate FILE</c>: exit 0 and a confirmation, or exit 1 and the error naming the field.</summary>
    public static int RunValidate(ProfilesCommandDefinition def, ParseResult parse, CliIO io)
    {
        var path = parse.GetValue(def.ValidateFile)!;
        if (!File.Exists(path)) throw new QueryException($"{path}: no such profile file");
        var result = ProfileCatalog.Validate(path);
        if (!result.IsValid)
        {
            io.Error.WriteLine($"error: {result.Error}");
            return ExitCodes.Error;
        }
        io.Output.WriteLine($"{path}: valid profile '{result.Profile!.Name}' ({result.Profile.CategoryRules.Count} own category rules, anchor {result.Profile.AnchorKernel ?? "auto-detected"})");
        return ExitCodes.Ok;
    }
}
