namespace LlmPipeline.Analysis.Phases;

/// <summary>The values of <c>passes.phase</c>.</summary>
public static class PhaseNames
{
    /// <summary>A step that only processes new prompt tokens (SGLang EXTEND, vLLM context only).</summary>
    public const string Prefill = "prefill";

    /// <summary>A step that generates one token per running request.</summary>
    public const string Decode = "decode";

    /// <summary>A chunked-prefill step holding both prompt and generation requests (docs/messy-traces.md, B35: never counted as decode).</summary>
    public const string Mixed = "mixed";

    /// <summary>
    /// An idle padding step (SGLang <c>step[idle]</c>, run by data-parallel attention ranks that have no request;
    /// sgl-project/sglang#23419): kept as a pass with no token count, but left out of the default-pass choice, phase
    /// windows, steady-state notes and decode statistics.
    /// </summary>
    public const string Idle = "idle";

    /// <summary>All values, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Decode, Prefill, Mixed, Idle];

    /// <summary>True for the phase of a step that does model work (anything but <see cref="Idle"/>; null, unknown, counts as work).</summary>
    public static bool IsWork(string? phase) => phase != Idle;

    /// <summary>Combines two pieces of evidence: equal → that phase; prefill with decode (or anything with mixed) → mixed.</summary>
    public static string Combine(string a, string b) => a == b ? a : Mixed;
}
