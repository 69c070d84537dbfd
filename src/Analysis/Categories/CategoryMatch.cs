namespace LlmPipeline.Analysis.Categories;

/// <summary>The category a kernel name was classified into, and the rule that decided it.</summary>
/// <param name="Category">Category key (<c>kernels.category</c>).</param>
/// <param name="Label">Display label.</param>
/// <param name="Group">Category group (docs/profiles.md, 'Category keys and groups').</param>
/// <param name="RuleOrder">0-based position of the matching rule in the run's rule list (profile rules, then universal), (the universal list ends with a catch-all <c>other</c> rule, so every name gets an order ≥ 0; -1 only if no rule matched).</param>
public sealed record CategoryMatch(string Category, string Label, string Group, int RuleOrder);
