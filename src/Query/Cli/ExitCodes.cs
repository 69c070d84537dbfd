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

    /// <summary>Interrupted by Ctrl-C (SIGINT): 128 + the signal number 2, as shells report it.</summary>
    public const int Interrupted = 130;
}
