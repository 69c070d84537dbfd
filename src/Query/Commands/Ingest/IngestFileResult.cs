namespace LlmPipeline.Query.Commands.Ingest;

/// <summary>How the ingest of one file ended, for the closing lines of <c>llmpipe ingest</c>.</summary>
/// <param name="Path">The file (or the argument that matched nothing).</param>
/// <param name="RunId">The new or existing run; null when the file failed.</param>
/// <param name="AlreadyPresent">
/// When the same file with the same options was stored before: the ingest's sentence
/// (<c>already present as run N (why; what to do)</c>); null otherwise.
/// </param>
/// <param name="Error">Why it failed (said once on stderr, not in <see cref="ToString"/>); null when it did not.</param>
public sealed record IngestFileResult(string Path, long? RunId, string? AlreadyPresent, string? Error)
{
    /// <summary>Every run the file became (one per rank for a merged multi-rank file); null: just <see cref="RunId"/>.</summary>
    public IReadOnlyList<long>? RunIds { get; init; }

    /// <summary>
    /// Why the file was skipped without failing the command (a graph-capture trace among several inputs: what it is and
    /// how to use it); null when it was not.
    /// </summary>
    public string? Skipped { get; init; }

    /// <summary>
    /// How Ctrl-C left the file: <c>interrupted while it was read; nothing of it stored</c> or
    /// <c>not read (interrupted before it)</c>; null when it was not interrupted.
    /// </summary>
    public string? Interrupted { get; init; }

    /// <summary>
    /// One line: <c>PATH: skipped (graph-capture trace): how to use it</c>, <c>PATH: ingested as run N</c> (<c>as runs N, M (one per rank)</c> for a merged file),
    /// <c>PATH: already present as run N (why; what to do)</c>, <c>PATH: interrupted ...</c> or <c>PATH: failed</c>
    /// (the error itself is said once, on stderr).
    /// </summary>
    public override string ToString() => Interrupted is { } how
        ? $"{Path}: {how}"
        : Error is not null
        ? $"{Path}: failed"
        : Skipped is { } why ? $"{Path}: skipped (graph-capture trace): {why}"
        : AlreadyPresent is { } sentence ? $"{Path}: {sentence}"
        : RunIds is { Count: > 1 } ids ? $"{Path}: ingested as runs {string.Join(", ", ids)} (one per rank)"
        : $"{Path}: ingested as run {RunId}";
}
