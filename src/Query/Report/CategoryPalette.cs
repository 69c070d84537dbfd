namespace LlmPipeline.Query.Report;

/// <summary>Fixed colours per category group (docs/profiles.md, 'Category keys and groups'), so that a group has the same colour in every chart and report.</summary>
public static class CategoryPalette
{
    /// <summary>Group → colour (colour-blind-friendly Tableau-like hues); unknown groups are grey.</summary>
    public static IReadOnlyDictionary<string, string> Groups { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["attention"] = "#4e79a7",
        ["gemm"] = "#f28e2b",
        ["moe"] = "#e15759",
        ["comm"] = "#76b7b2",
        ["norm"] = "#59a14f",
        ["rope"] = "#edc948",
        ["activation"] = "#b07aa1",
        ["elementwise"] = "#ff9da7",
        ["kv_cache"] = "#9c755f",
        ["quant"] = "#bab0ac",
        ["reduce"] = "#86bcb6",
        ["copy"] = "#d4a6c8",
        ["sampling"] = "#8cd17d",
        ["sparse"] = "#499894",
        ["mhc"] = "#f1ce63",
        ["other"] = "#9e9e9e",
    };

    /// <summary>Pass kinds of the pass timeline chart.</summary>
    public static IReadOnlyDictionary<string, string> PassKinds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cold-start"] = "#e15759",
        ["steady-state"] = "#4e79a7",
        ["other pass"] = "#9ecae9",
        ["partial"] = "#cccccc",
    };
}
