using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using LlmPipeline.Analysis.Profiles;

namespace LlmPipeline.Analysis.Categories;

/// <summary>
/// Classifies kernel names with a profile's effective rules (the profile's own rules, then the universal rules;
/// docs/profiles.md, 'Categories'): every rule's pattern is a compiled, case-insensitive regular expression searched anywhere in
/// the full kernel name; the first match wins. Results are cached per name, so classifying millions of kernels costs
/// one regex pass per distinct name. Thread-safe.
/// </summary>
public sealed class KernelCategorizer
{
    private readonly Regex[] _regexes;
    private readonly ConcurrentDictionary<string, CategoryMatch> _cache = new(StringComparer.Ordinal);

    /// <summary>Builds the categorizer for <paramref name="profile"/>.</summary>
    /// <exception cref="ProfileFormatException">A rule pattern is not a valid regular expression.</exception>
    public KernelCategorizer(ModelProfile profile)
    {
        Profile = profile;
        Rules = ProfileCatalog.EffectiveRules(profile);
        _regexes = new Regex[Rules.Count];
        for (var i = 0; i < Rules.Count; i++)
        {
            try
            {
                // Interpreted, not RegexOptions.Compiled: each rule runs once per distinct kernel name (hundreds), so
                // emitting and JIT-compiling IL for ~30 patterns cost more than it saved (~0.15 s per ingest).
                _regexes[i] = new Regex(Rules[i].Pattern,
                    RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
                    TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new ProfileFormatException(profile.Source, $"category_rules[{i}].pattern",
                    "invalid regular expression: " + ex.Message, ex);
            }
        }
    }

    /// <summary>The profile whose rules are used.</summary>
    public ModelProfile Profile { get; }

    /// <summary>The effective rule list (profile rules, then universal); a match's <see cref="CategoryMatch.RuleOrder"/> indexes it.</summary>
    public IReadOnlyList<CategoryRule> Rules { get; }

    /// <summary>Category of one kernel name (first matching rule). Never null; unmatched names (impossible with the
    /// universal catch-all) get <c>other</c> with rule order -1.</summary>
    public CategoryMatch Categorize(string kernelName) => _cache.GetOrAdd(kernelName ?? string.Empty, Compute);

    /// <summary>Categories of a list of names (e.g. <see cref="Segmentation.KernelSequence.Names"/>), same order.</summary>
    public CategoryMatch[] CategorizeAll(IReadOnlyList<string> names)
    {
        var result = new CategoryMatch[names.Count];
        for (var i = 0; i < result.Length; i++) result[i] = Categorize(names[i]);
        return result;
    }

    private CategoryMatch Compute(string name)
    {
        for (var i = 0; i < _regexes.Length; i++)
        {
            if (_regexes[i].IsMatch(name))
            {
                var r = Rules[i];
                return new CategoryMatch(r.Category, r.Label, r.Group, i);
            }
        }
        return new CategoryMatch("other", "Other", "other", -1);
    }
}
