using System.Text;

namespace LlmPipeline.Query.Output;

/// <summary>Splits prose into lines at spaces (the <c>warnings --kinds</c> table, <c>--help</c>).</summary>
public static class WordWrap
{
    /// <summary>Splits <paramref name="text"/> at spaces into lines of at most <paramref name="width"/> characters
    /// (a longer word, such as a link, stands alone on its line); runs of spaces count as one.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static IEnumerable<string> Lines(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
