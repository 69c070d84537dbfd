namespace LlmPipeline.Analysis.Profiles;

/// <summary>
/// A profile file (or built-in profile text) is malformed. The message names the file and the faulty field, e.g.
/// <c>my.json: category_rules[3].pattern: invalid regular expression ...</c> (docs/profiles.md: "a malformed profile
/// file is an error naming the field").
/// </summary>
public sealed class ProfileFormatException : Exception
{
    /// <summary>Creates the exception; the message is <c>&lt;source&gt;: &lt;field&gt;: &lt;problem&gt;</c>.</summary>
    /// <param name="source">File path (or <c>built-in:&lt;name&gt;</c>).</param>
    /// <param name="field">JSON path of the faulty field, e.g. <c>category_rules[3].pattern</c>; empty for the whole document.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public ProfileFormatException(string source, string field, string problem, Exception? inner = null)
        : base(field.Length == 0 ? $"{source}: {problem}" : $"{source}: {field}: {problem}", inner)
    {
        FilePath = source;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file path (or <c>built-in:&lt;name&gt;</c>).</summary>
    public string FilePath { get; }

    /// <summary>JSON path of the faulty field (empty when the document itself is not valid JSON).</summary>
    public string Field { get; }

    /// <summary>What is wrong with the field.</summary>
    public string Problem { get; }
}
