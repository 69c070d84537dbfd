namespace LlmPipeline.Query.Cli;

/// <summary>Process exit codes of llmpipe (docs/reports.md, 'Messages and exit codes').</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>An error (bad input, missing run, database problem); the message is on stderr.</summary>
    public const int Error = 1;

    /// <summary>A usage error (unknown option, bad value, missing argument).</summary>
    public const int Usage = 2;
}
