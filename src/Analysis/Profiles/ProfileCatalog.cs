using System.Reflection;
using System.Text;
using System.Text.Json;
using LlmPipeline.Analysis.Segmentation;

namespace LlmPipeline.Analysis.Profiles;

/// <summary>
/// The built-in profiles (embedded JSON files <c>profiles/dsv4_csa_hca.json</c>, <c>dsv3_mla.json</c>,
/// <c>generic.json</c>) and the universal rule list (<c>profiles/universal.json</c>), plus loading, validating and
/// writing user profile files (docs/profiles.md: a profile is data).
/// </summary>
public static class ProfileCatalog
{
    private static readonly string[] BuiltInNames = ["dsv4_csa_hca", "dsv3_mla", "generic"];
    private static readonly Lazy<IReadOnlyList<ModelProfile>> BuiltInList = new(LoadBuiltIns);
    private static readonly Lazy<IReadOnlyList<CategoryRule>> UniversalList = new(LoadUniversal);

    /// <summary>The built-in profiles, in the order <c>dsv4_csa_hca</c>, <c>dsv3_mla</c>, <c>generic</c>.</summary>
    public static IReadOnlyList<ModelProfile> BuiltIns => BuiltInList.Value;

    /// <summary>The universal rules evaluated after every profile's own rules; the last one is the catch-all <c>other</c>.</summary>
    public static IReadOnlyList<CategoryRule> UniversalRules => UniversalList.Value;

    /// <summary>
    /// A built-in profile by name (case-insensitive), or a profile JSON file by path.
    /// </summary>
    /// <exception cref="UnknownProfileException">Neither a built-in name nor an existing file; the message lists the built-ins.</exception>
    /// <exception cref="ProfileFormatException">The file is malformed (message names the file and the field).</exception>
    public static ModelProfile Get(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        foreach (var p in BuiltIns)
            if (string.Equals(p.Name, nameOrPath, StringComparison.OrdinalIgnoreCase)) return p;
        if (File.Exists(nameOrPath)) return Load(nameOrPath);
        throw new UnknownProfileException(nameOrPath, BuiltInNames);
    }

    /// <summary>Reads and validates a profile JSON file.</summary>
    /// <exception cref="ProfileFormatException">Malformed file (message names the file and the field).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModelProfile Load(string path)
    {
        var text = File.ReadAllText(path);
        return Parse(text, path);
    }

    /// <summary>Parses and validates profile JSON text; <paramref name="source"/> names it in errors and becomes <see cref="ModelProfile.Source"/>.</summary>
    /// <exception cref="ProfileFormatException">Malformed text.</exception>
    public static ModelProfile Parse(string json, string source) => ProfileJson.Parse(json, source, requireName: true);

    /// <summary>Validates a profile file without throwing for format errors.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ProfileValidation Validate(string path)
    {
        try
        {
            var p = Load(path);
            return new ProfileValidation(true, p, null, null);
        }
        catch (ProfileFormatException ex)
        {
            return new ProfileValidation(false, null, ex.Message, ex.Field);
        }
    }

    /// <summary>The profile as the JSON file a user would copy and edit (snake_case keys, indented).</summary>
    public static string ToJson(ModelProfile profile) => ProfileJson.Write(profile);

    /// <summary>
    /// The rules a run actually uses: the profile's own rules, then <see cref="UniversalRules"/>. The position in
    /// this list is the rule order stored in <c>category_rules.rule_order</c> and <see cref="Categories.CategoryMatch.RuleOrder"/>.
    /// </summary>
    public static IReadOnlyList<CategoryRule> EffectiveRules(ModelProfile profile)
    {
        var list = new List<CategoryRule>(profile.CategoryRules.Count + UniversalRules.Count);
        list.AddRange(profile.CategoryRules);
        list.AddRange(UniversalRules);
        return list;
    }

    private static IReadOnlyList<ModelProfile> LoadBuiltIns() =>
        BuiltInNames.Select(n => ProfileJson.Parse(ReadResource(n), "built-in", requireName: true)).ToArray();

    private static IReadOnlyList<CategoryRule> LoadUniversal() =>
        ProfileJson.Parse(ReadResource("universal"), "built-in", requireName: true).CategoryRules;

    private static string ReadResource(string name)
    {
        var asm = typeof(ProfileCatalog).Assembly;
        using var stream = asm.GetManifestResourceStream($"profiles/{name}.json")
            ?? throw new InvalidOperationException($"Embedded resource profiles/{name}.json is missing from {asm.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
