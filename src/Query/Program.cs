using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query;

/// <summary>Process entry point of <c>llmpipe</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line; returns the exit code (0 ok, 1 error, 2 usage error).</summary>
    public static int Main(string[] args)
    {
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = false };
        try
        {
            return LlmpipeCli.Run(args, stdout, new StdoutFirstWriter(Console.Error, stdout), stderrIsTerminal: !Console.IsErrorRedirected);
        }
        finally
        {
            stdout.Flush();
        }
    }
}
