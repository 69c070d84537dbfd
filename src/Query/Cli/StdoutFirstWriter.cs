using System.Text;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// The stderr writer of the process: flushes the (buffered) stdout writer before each write, so that a warning never
/// lands in the middle of a report line when both streams go to one terminal or one file (<c>2&gt;&amp;1</c>).
/// </summary>
/// <param name="error">The real stderr writer.</param>
/// <param name="output">The buffered stdout writer to flush first.</param>
public sealed class StdoutFirstWriter(TextWriter error, TextWriter output) : TextWriter
{
    /// <inheritdoc />
    public override Encoding Encoding => error.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        output.Flush();
        error.Write(value);
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        output.Flush();
        error.Write(value);
    }

    /// <inheritdoc />
    public override void WriteLine(string? value)
    {
        output.Flush();
        error.WriteLine(value);
    }

    /// <inheritdoc />
    public override void Flush() => error.Flush();
}
