namespace LlmPipeline.Analysis.Names;

/// <summary>
/// Cuts a text to a width while keeping what identifies a kernel (docs/reports.md, 'Tables that fit'). A kernel name
/// (a C++ name, no space outside its brackets) loses, in this order and only as far as needed: its <c>void</c> return
/// type, its parameter list, the arguments of its innermost templates up to the second level (each list becomes
/// <c>&lt;…&gt;</c>), the end of its outermost template arguments (<c>kernel&lt;bfloat16, 256, …&gt;</c>); then, like any
/// other text, its middle (<c>…</c>), keeping the head (the namespace) and the end.
/// <c>void at::native::vectorized_elementwise_kernel&lt;4, at::native::FillFunctor&lt;float&gt;, …&gt;(int, …)</c> at 48
/// characters reads <c>at::native::vectorized_elementwise_kernel&lt;…&gt;</c>.
/// </summary>
public static class NameShortener
{
    /// <summary>The mark put where text was left out (one character, U+2026).</summary>
    public const string Ellipsis = "…";

    /// <summary>Narrowest width honoured; a smaller one is raised to it.</summary>
    public const int MinWidth = 8;

    /// <summary><paramref name="text"/> cut to at most <paramref name="width"/> characters (at least <see cref="MinWidth"/>).</summary>
    public static string Shorten(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        width = Math.Max(width, MinWidth);
        if (text.Length <= width) return text;
        if (IsCodeName(text))
        {
            var name = text.StartsWith("void ", StringComparison.Ordinal) ? text[5..] : text;
            if (name.Length <= width) return name;
            name = WithoutParameters(name);
            if (name.Length <= width) return name;
            for (var depth = MaxDepth(name); depth >= 2; depth--)
            {
                name = Elide(name, depth);
                if (name.Length <= width) return name;
            }
            if (CutFirstArguments(name, width) is { } cut) return cut;
            text = Elide(name, 1);
        }
        var tail = (width - 1) / 3;
        return string.Concat(text.AsSpan(0, width - 1 - tail), Ellipsis, text.AsSpan(text.Length - tail));
    }

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="width"/> characters so that the part from
    /// <paramref name="position"/> shows: its head (the name up to its template arguments when that leaves 12
    /// characters, else a quarter of the width), <c>…</c>, the text from a few characters before
    /// <paramref name="position"/> (back to the last <c>_ : &lt; ,</c> or space within 8), and <c>…</c>
    /// where it is still too long. Used to keep apart names that differ only in their middle. A text that fits, or a
    /// position within the head, gives <see cref="Shorten"/>'s cut.
    /// </summary>
    /// <param name="text">The text to cut.</param>
    /// <param name="position">0-based index of the first character that must show.</param>
    /// <param name="width">Widest result, in characters (at least <see cref="MinWidth"/>).</param>
    public static string AroundPosition(string text, int position, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        width = Math.Max(width, MinWidth);
        if (text.Length <= width) return text;
        // The head: the name up to its template arguments when that leaves room for 12 characters of the difference,
        // else a quarter of the width.
        var angle = text.IndexOf('<', StringComparison.Ordinal);
        var head = angle > 0 && angle < position && angle + 1 <= width - 13 ? angle + 1 : width / 4;
        if (position <= head + 1) return Shorten(text, width);
        var from = Math.Min(position, text.Length - 1);
        for (var back = 1; back <= 8 && from - back > head; back++)
            if (text[from - back] is '_' or ':' or '<' or ' ' or ',') { from -= back - 1; break; }
        var rest = width - head - 1;
        var tail = text.Length - from <= rest ? text[from..] : string.Concat(text.AsSpan(from, rest - 1), Ellipsis);
        return string.Concat(text.AsSpan(0, head), Ellipsis, tail);
    }

    /// <summary>A C++ name: no space outside brackets, once a leading <c>void </c> is set aside.</summary>
    private static bool IsCodeName(string text)
    {
        var depth = 0;
        var start = text.StartsWith("void ", StringComparison.Ordinal) ? 5 : 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '<' or '(' or '[') depth++;
            else if (c is '>' or ')' or ']') depth--;
            else if (c == ' ' && depth == 0) return false;
        }
        return true;
    }

    /// <summary>The name up to its parameter list: the first <c>(</c> outside template arguments that follows the name.</summary>
    private static string WithoutParameters(string name)
    {
        var angle = 0;
        for (var i = 1; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '<') angle++;
            else if (c == '>') angle--;
            else if (c == '(' && angle == 0 && (char.IsLetterOrDigit(name[i - 1]) || name[i - 1] is '_' or '>'))
                return name[..i];
        }
        return name;
    }

    /// <summary>
    /// The name with its first template argument list cut to what <paramref name="width"/> leaves, at least one
    /// character (<c>kernel&lt;bfloat16, b…&gt;</c>) or none (<c>kernel&lt;…&gt;</c>); null when even that is too long.
    /// </summary>
    private static string? CutFirstArguments(string name, int width)
    {
        var open = name.IndexOf('<', StringComparison.Ordinal);
        if (open < 0) return null;
        var close = open;
        for (var level = 0; close < name.Length; close++)
        {
            if (name[close] == '<') level++;
            else if (name[close] == '>' && --level == 0) break;
        }
        var rest = close < name.Length ? name[(close + 1)..] : "";
        var contents = name[(open + 1)..Math.Min(close, name.Length)];
        var room = width - open - rest.Length - 2 - Ellipsis.Length;
        if (room < 0) return null;
        return string.Concat(name.AsSpan(0, open + 1), contents.AsSpan(0, Math.Min(room, contents.Length)).TrimEnd(), Ellipsis + ">", rest);
    }

    private static int MaxDepth(string name)
    {
        int depth = 0, max = 0;
        foreach (var c in name)
        {
            if (c == '<') max = Math.Max(max, ++depth);
            else if (c == '>') depth--;
        }
        return max;
    }

    /// <summary>Replaces the contents of every template argument list opened at <paramref name="depth"/> by <c>…</c>.</summary>
    private static string Elide(string name, int depth)
    {
        var sb = new System.Text.StringBuilder(name.Length);
        var level = 0;
        foreach (var c in name)
        {
            if (c == '<')
            {
                level++;
                if (level == depth) sb.Append('<').Append(Ellipsis);
                else if (level < depth) sb.Append(c);
            }
            else if (c == '>')
            {
                if (level <= depth) sb.Append(c);
                level--;
            }
            else if (level < depth)
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
