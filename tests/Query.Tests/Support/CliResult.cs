namespace LlmPipeline.Query.Tests.Support;

/// <summary>What one in-process llmpipe run produced.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr);
