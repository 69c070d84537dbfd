namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// Compact JSON text of an <c>args</c> value (<c>grid</c>, <c>block</c>, <c>Input Dims</c>): the value's bytes with the
/// whitespace between tokens removed and strings kept byte for byte, so <c>[132, 1, 1]</c> and <c>[132,1,1]</c> are
/// stored alike. Shared by the fast scanner and the validating parser, which must fill the same fields the same way.
/// </summary>
internal static class CompactJson
{
    /// <summary>Writes <paramref name="raw"/> (one complete JSON value) without its insignificant whitespace.</summary>
    /// <param name="raw">The value's text.</param>
    /// <param name="destination">At least <paramref name="raw"/>.Length bytes.</param>
    /// <returns>The number of bytes written.</returns>
    public static int Write(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int w = 0;
        bool inString = false;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (inString)
            {
                destination[w++] = b;
                if (b == (byte)'\\' && i + 1 < raw.Length) destination[w++] = raw[++i];
                else if (b == (byte)'"') inString = false;
            }
            else if (b is not ((byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r'))
            {
                destination[w++] = b;
                if (b == (byte)'"') inString = true;
            }
        }
        return w;
    }
}
