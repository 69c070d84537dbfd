namespace LlmPipeline.Query.Cli.Usage;

/// <summary>The "did you mean" of an unknown command or option: the known names closest to a mistyped one.</summary>
public static class Suggestions
{
    /// <summary>
    /// The names in <paramref name="known"/> closest to <paramref name="typed"/> (case-insensitive): those that start
    /// with it (at least 2 characters besides leading dashes), else those within an edit distance of 2 and at most a
    /// third of the name's length (at least 1); the best distance only, in their given order. Empty when none is close.
    /// </summary>
    /// <param name="typed">What the user wrote (<c>timelin</c>, <c>--rn</c>).</param>
    /// <param name="known">Names the user could have meant (commands, or options with their aliases).</param>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(known);
        var names = known.Distinct(StringComparer.Ordinal).ToList();
        var t = typed.ToLowerInvariant();
        if (t.TrimStart('-').Length >= 2)
        {
            var prefixed = names.Where(n => n.StartsWith(t, StringComparison.OrdinalIgnoreCase) && n.Length > t.Length).ToList();
            if (prefixed.Count > 0) return prefixed;
        }
        var limit = Math.Min(2, Math.Max(1, t.TrimStart('-').Length / 3));
        var scored = names.Select(n => (Name: n, Distance: Distance(t, n.ToLowerInvariant()))).Where(x => x.Distance <= limit).ToList();
        if (scored.Count == 0) return [];
        var best = scored.Min(x => x.Distance);
        return scored.Where(x => x.Distance == best).Select(x => x.Name).ToList();
    }

    /// <summary>"; did you mean 'a'?" or "; did you mean 'a' or 'b'?" for <see cref="Closest"/>'s names; empty when there are none.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> known)
    {
        var close = Closest(typed, known);
        return close.Count == 0 ? "" : $"; did you mean {string.Join(" or ", close.Select(c => $"'{c}'"))}?";
    }

    /// <summary>Optimal string alignment distance (Levenshtein with adjacent transpositions): edits to turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
