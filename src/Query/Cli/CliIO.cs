namespace LlmPipeline.Query.Cli;

/// <summary>The writers a command uses: results to <see cref="Output"/> (stdout), warnings and notes to <see cref="Error"/> (stderr).</summary>
/// <param name="Output">Results.</param>
/// <param name="Error">Warnings, notes, errors.</param>
public sealed record CliIO(TextWriter Output, TextWriter Error);
