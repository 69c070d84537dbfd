using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query;

/// <summary>Process entry point of <c>llmpipe</c>.</summary>
public static class Program
{
    /// <summary>
    /// Runs the command line; returns the exit code (0 ok, 1 error, 2 usage error, 130 interrupted). Ctrl-C goes to
    /// <see cref="Interruption"/>: a command that stops cleanly (ingest) says what it stored; any other ends at once.
    /// </summary>
    public static int Main(string[] args)
    {
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = false };
        var interruption = new Interruption();
        Console.CancelKeyPress += (_, e) => e.Cancel = interruption.TryInterrupt();
        try
        {
            return LlmpipeCli.Run(args, stdout, new StdoutFirstWriter(Console.Error, stdout), stderrIsTerminal: !Console.IsErrorRedirected, interruption);
        }
        finally
        {
            stdout.Flush();
        }
    }
}
