namespace LlmPipeline.Query.Output;

/// <summary>Writes a <see cref="ResultTable"/> in one output dialect.</summary>
public interface IResultWriter
{
    /// <summary>The format this writer produces.</summary>
    OutputFormat Format { get; }

    /// <summary>Writes the whole table (header included) to <paramref name="output"/>.</summary>
    void Write(ResultTable table, TextWriter output);
}
