using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Tests.Support;

/// <summary>Runs the real llmpipe command line in-process with captured stdout and stderr.</summary>
public static class Llmpipe
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = LlmpipeCli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
