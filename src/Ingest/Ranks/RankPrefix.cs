namespace LlmPipeline.Ingest.Ranks;

/// <summary>
/// Recognises the rank label that multi-rank trace mergers put in front of event names, e.g.
/// <c>[TP01-DP00-PP00-EP00] </c> (SGLang's merger, sgl-project/sglang#11413; docs/messy-traces.md, B24), so that the
/// name can be classified without it.
/// </summary>
public static class RankPrefix
{
    private static readonly string[] Dimensions = ["TP", "DP", "PP", "EP", "CP", "SP", "RANK"];

    /// <summary>
    /// Length in bytes of the rank label at the start of <paramref name="name"/> (brackets and one following space
    /// included), or 0 when there is none. A label is <c>[</c>, one or more <c>DIMn</c> groups joined by <c>-</c>
    /// (DIM one of TP, DP, PP, EP, CP, SP, RANK, any case; n decimal digits), then <c>]</c>.
    /// </summary>
    public static int Length(ReadOnlySpan<byte> name)
    {
        if (name.Length < 4 || name[0] != (byte)'[') return 0;
        var i = 1;
        while (true)
        {
            var start = i;
            while (i < name.Length && char.IsAsciiLetter((char)name[i])) i++;
            if (i == start || !IsDimension(name[start..i])) return 0;
            var digits = i;
            while (i < name.Length && char.IsAsciiDigit((char)name[i])) i++;
            if (i == digits || i >= name.Length) return 0;
            if (name[i] == (byte)'-') { i++; continue; }
            if (name[i] != (byte)']') return 0;
            i++;
            break;
        }
        if (i < name.Length && name[i] == (byte)' ') i++;
        return i;
    }

    private static bool IsDimension(ReadOnlySpan<byte> letters)
    {
        foreach (var d in Dimensions)
        {
            if (letters.Length != d.Length) continue;
            var same = true;
            for (var k = 0; k < d.Length && same; k++) same = char.ToUpperInvariant((char)letters[k]) == d[k];
            if (same) return true;
        }
        return false;
    }
}
