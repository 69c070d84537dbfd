namespace LlmPipeline.Ingest.Captures;

/// <summary>What a trace file's name says about its capture, rank and serving phase (<see cref="CaptureNaming.Parse"/>).</summary>
/// <param name="Path">The file path as given.</param>
/// <param name="CaptureName">The file name with the digits of its rank part replaced by <c>*</c>
/// (<c>run-TP-*-DECODE.trace.json.gz</c>); null when the name carries no rank.</param>
/// <param name="Rank">The rank the name gives (the TP index of SGLang's <c>-TP-N</c>, the N of <c>rank-N</c> /
/// <c>_rankN</c>); null when none.</param>
/// <param name="RankParts">Every index of the rank part in order (TP, DP, PP, EP for SGLang names; one value for
/// <c>rank-N</c>); empty when none. Used to number ranks when the TP index alone repeats within a capture.</param>
/// <param name="Phase">Serving phase from the name: <c>decode</c> for <c>-DECODE</c>, <c>prefill</c> for
/// <c>-EXTEND</c> / <c>-PREFILL</c>; null when the name says nothing.</param>
public sealed record TraceFileName(string Path, string? CaptureName, int? Rank, IReadOnlyList<int> RankParts, string? Phase);
