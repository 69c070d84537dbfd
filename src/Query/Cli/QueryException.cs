namespace LlmPipeline.Query.Cli;

/// <summary>A problem with what the user asked for (unknown run, pass out of range); printed as <c>error: message</c>, exit code 1.</summary>
public sealed class QueryException : Exception
{
    /// <summary>Creates the exception with a message that says what is valid.</summary>
    public QueryException(string message) : base(message) { }
}
