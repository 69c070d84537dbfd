namespace LlmPipeline.Analysis.Profiles;

/// <summary>
/// A profile name is neither a built-in profile nor an existing file. The message lists the available built-ins:
/// <c>Unknown profile 'x'. Available: dsv4_csa_hca, dsv3_mla, generic (or pass a profile JSON file path).</c>
/// </summary>
public sealed class UnknownProfileException : Exception
{
    /// <summary>Creates the exception for <paramref name="name"/>.</summary>
    public UnknownProfileException(string name, IReadOnlyList<string> available)
        : base($"Unknown profile '{name}'. Available: {string.Join(", ", available)} (or pass the path of a profile JSON file).")
    {
        Name = name;
        Available = available;
    }

    /// <summary>The name asked for.</summary>
    public string Name { get; }

    /// <summary>The built-in profile names.</summary>
    public IReadOnlyList<string> Available { get; }
}
