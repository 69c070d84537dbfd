using System.CommandLine;
using LlmPipeline.Query.Cli.Usage;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// Attaches an action to a command so that every command reports errors the same way: results on the injected
/// output, <c>error: message</c> on the injected error writer (no stack trace), exit 1 for errors and 2 for usage errors.
/// </summary>
public static class CommandRunner
{
    /// <summary>Sets <paramref name="action"/> as the command's action, wrapped in the shared error handling.</summary>
    public static void SetAction(Command command, Func<ParseResult, CliIO, int> action)
    {
        command.SetAction(parseResult =>
        {
            var io = new CliIO(parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            try
            {
                return action(parseResult, io);
            }
            catch (UsageException ex)
            {
                io.Error.WriteLine($"error: {ex.Message}");
                io.Error.WriteLine($"Run 'llmpipe {CommandPath.Of(command)} --help' for usage.");
                return ExitCodes.Usage;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not StackOverflowException)
            {
                io.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Error;
            }
        });
    }
}
