namespace LlmPipeline.TraceGen;

/// <summary>
/// What a kernel truly is to its forward pass in a generated trace (the ground truth segmentation is checked against).
/// The numeric values and names follow the stored <c>kernels.role</c> values of the analysis.
/// </summary>
public enum TruthRole : byte
{
    /// <summary>Outside every pass (empty in the truth file).</summary>
    None = 0,

    /// <summary>Inside a transformer layer: from its input norm up to the next layer's input norm.</summary>
    Layer = 1,

    /// <summary>Before layer 0's input norm (embedding, position and metadata preparation, a pipeline receive).</summary>
    Prologue = 2,

    /// <summary>After the last layer's end (final norm, lm_head, logits gather, sampling, a pipeline send).</summary>
    Epilogue = 3,

    /// <summary>An MTP (next-n predict) block after the main layers of a step.</summary>
    Mtp = 4,

    /// <summary>A speculative-decoding draft block after the main layers of a step.</summary>
    Draft = 5,

    /// <summary>A backward kernel of a training step.</summary>
    Backward = 6,
}

/// <summary>Spelling of <see cref="TruthRole"/> in the truth file.</summary>
public static class TruthRoleNames
{
    /// <summary><c>layer</c>, <c>prologue</c>, <c>epilogue</c>, <c>mtp</c>, <c>draft</c>, <c>backward</c>; empty for <see cref="TruthRole.None"/>.</summary>
    public static string ToName(this TruthRole role) => role switch
    {
        TruthRole.Layer => "layer",
        TruthRole.Prologue => "prologue",
        TruthRole.Epilogue => "epilogue",
        TruthRole.Mtp => "mtp",
        TruthRole.Draft => "draft",
        TruthRole.Backward => "backward",
        _ => "",
    };

    /// <summary>Inverse of <see cref="ToName"/>; empty or null gives <see cref="TruthRole.None"/>.</summary>
    /// <exception cref="FormatException">An unknown name.</exception>
    public static TruthRole Parse(string? name) => name switch
    {
        null or "" => TruthRole.None,
        "layer" => TruthRole.Layer,
        "prologue" => TruthRole.Prologue,
        "epilogue" => TruthRole.Epilogue,
        "mtp" => TruthRole.Mtp,
        "draft" => TruthRole.Draft,
        "backward" => TruthRole.Backward,
        _ => throw new FormatException($"Unknown truth role '{name}'."),
    };
}
