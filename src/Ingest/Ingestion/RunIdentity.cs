using System.Security.Cryptography;
using System.Text;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>
/// What makes two ingests "the same run": the file's SHA-256 and the segmentation options (profile, anchor, anchor
/// role, layer count, config). Labels and tags do not count.
/// </summary>
public static class RunIdentity
{
    /// <summary>SHA-256 of the file bytes, lower-case hex.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Completes the SHA-256 of the file at <paramref name="path"/> whose first <paramref name="hashedBytes"/> bytes
    /// were already appended to <paramref name="hash"/> (while reading it): appends the rest and returns the hex digest,
    /// equal to <see cref="HashFile"/>'s.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string FinishHash(IncrementalHash hash, string path, long hashedBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        stream.Seek(hashedBytes, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer.AsSpan(0, n));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Fingerprint of the segmentation options (hex SHA-256 of their canonical text).</summary>
    /// <param name="profileJson">The profile as JSON.</param>
    /// <param name="anchorKernel">--anchor-kernel, or null.</param>
    /// <param name="anchorRole">--anchor-role, or null.</param>
    /// <param name="numLayers">--num-layers, or null.</param>
    /// <param name="configJson">The model config text, or null.</param>
    /// <param name="inputs">Further inputs that change the stored run (a --step-markers file's text, the companion capture
    /// traces used), or null; appended only when given, so runs ingested without them keep the key they had.</param>
    public static string OptionsKey(string profileJson, string? anchorKernel, string? anchorRole, int? numLayers, string? configJson, string? inputs = null)
    {
        var text = string.Join("\u001f", profileJson, anchorKernel ?? "", anchorRole ?? "", numLayers?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", configJson ?? "");
        if (inputs is not null) text += "\u001f" + inputs;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
