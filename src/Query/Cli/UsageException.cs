namespace LlmPipeline.Query.Cli;

/// <summary>A command line that cannot be run as given (conflicting or missing options); exit code 2.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message) : base(message) { }
}
