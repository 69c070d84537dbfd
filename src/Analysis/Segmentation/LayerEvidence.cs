namespace LlmPipeline.Analysis.Segmentation;

/// <summary>What set a run's layer boundaries, strongest first; stored as <c>runs.layer_evidence</c>.</summary>
public enum LayerEvidence
{
    /// <summary><c>nn.Module</c> scopes of the decoder layers (<c>with_modules</c>), joined to kernels through their
    /// launching CPU operator or, for graph replays, the capture trace.</summary>
    ModuleScopes,

    /// <summary><c>user_annotation</c> / <c>gpu_user_annotation</c> ranges that name layers (<c>layers.5</c>,
    /// <c>layer_5</c>), used like module scopes.</summary>
    Annotations,

    /// <summary>The pass's own template: each layer starts at its input normalization (the kernel sequence of the
    /// first layer after the prologue says which normalization that is).</summary>
    Template,

    /// <summary>The profile's <c>layer_start_kernel</c>: each layer starts at the last such kernel before its anchor.</summary>
    ProfilePattern,

    /// <summary>Layers cut at the anchor kernel itself (the anchor opens or closes its block): used for two-block
    /// layers (DeepSeek-V4 attn/ffn halves) and when the kernel sequence gives no better place.</summary>
    Anchor,

    /// <summary>No layers: the trace has no transformer layer structure.</summary>
    None,
}

/// <summary>SQL spelling of <see cref="LayerEvidence"/>.</summary>
public static class LayerEvidenceNames
{
    /// <summary>The value stored in <c>runs.layer_evidence</c>: <c>module_scopes</c>, <c>annotations</c>, <c>template</c>,
    /// <c>profile_pattern</c>, <c>anchor</c> or <c>none</c>.</summary>
    public static string ToSql(this LayerEvidence evidence) => evidence switch
    {
        LayerEvidence.ModuleScopes => "module_scopes",
        LayerEvidence.Annotations => "annotations",
        LayerEvidence.Template => "template",
        LayerEvidence.ProfilePattern => "profile_pattern",
        LayerEvidence.Anchor => "anchor",
        _ => "none",
    };
}
