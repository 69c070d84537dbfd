using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace LlmPipeline.Bench;

/// <summary>
/// The JSON-scan ceiling: a streaming <see cref="Utf8JsonReader"/> pass over the decompressed trace that only reads
/// tokens (no event decoding, no storage), on one core. Ingest cannot be faster than this.
/// </summary>
internal static class TokenScan
{
    /// <summary>Scans the trace; returns (JSON bytes, tokens, seconds).</summary>
    public static (long Bytes, long Tokens, double Seconds) Run(string path)
    {
        var clock = Stopwatch.StartNew();
        using var file = File.OpenRead(path);
        Stream stream = IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
        var buffer = new byte[1 << 20];
        var state = new JsonReaderState();
        long tokens = 0, bytes = 0;
        var filled = 0;
        while (true)
        {
            var n = stream.Read(buffer, filled, buffer.Length - filled);
            bytes += n;
            var final = n == 0;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, filled + n), final, state);
            while (reader.Read()) tokens++;
            state = reader.CurrentState;
            var used = (int)reader.BytesConsumed;
            filled = filled + n - used;
            Buffer.BlockCopy(buffer, used, buffer, 0, filled);
            if (final) break;
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        }
        stream.Dispose();
        return (bytes, tokens, clock.Elapsed.TotalSeconds);
    }

    private static bool IsGzip(string path)
    {
        Span<byte> magic = stackalloc byte[2];
        using var f = File.OpenRead(path);
        return f.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
