namespace LlmPipeline.Analysis.Segmentation;

/// <summary>What a kernel is to its forward pass; stored as <c>kernels.role</c>.</summary>
public enum KernelRole : byte
{
    /// <summary>Outside every pass (<c>role</c> NULL).</summary>
    None = 0,

    /// <summary>Inside one of the pass's transformer layers.</summary>
    Layer = 1,

    /// <summary>Before the pass's first layer (embedding, first norm).</summary>
    Prologue = 2,

    /// <summary>After the pass's last layer (final norm, lm_head, sampling).</summary>
    Epilogue = 3,

    /// <summary>An MTP (multi-token prediction) layer block after the main layers of a step.</summary>
    Mtp = 4,

    /// <summary>A speculative-decoding draft layer block.</summary>
    Draft = 5,

    /// <summary>A backward-pass kernel of a training step (autograd), never part of a forward layer.</summary>
    Backward = 6,
}

/// <summary>SQL spelling of <see cref="KernelRole"/>.</summary>
public static class KernelRoleNames
{
    /// <summary>The value stored in <c>kernels.role</c>: <c>layer</c>, <c>prologue</c>, <c>epilogue</c>, <c>mtp</c>, <c>draft</c>, <c>backward</c>, or null.</summary>
    public static string? ToSql(this KernelRole role) => role switch
    {
        KernelRole.Layer => "layer",
        KernelRole.Prologue => "prologue",
        KernelRole.Epilogue => "epilogue",
        KernelRole.Mtp => "mtp",
        KernelRole.Draft => "draft",
        KernelRole.Backward => "backward",
        _ => null,
    };
}
