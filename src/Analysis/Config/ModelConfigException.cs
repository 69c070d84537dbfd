namespace LlmPipeline.Analysis.Config;

/// <summary>A model config file is not valid JSON or not a JSON object; the message names the file.</summary>
public sealed class ModelConfigException : Exception
{
    /// <summary>Creates the exception; the message is <c>&lt;source&gt;: &lt;problem&gt;</c>.</summary>
    public ModelConfigException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        FilePath = source;
    }

    /// <summary>The file path (or the description of the text's origin).</summary>
    public string FilePath { get; }
}
