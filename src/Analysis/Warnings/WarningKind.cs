namespace LlmPipeline.Analysis.Warnings;

/// <summary>
/// One kind of ingest warning as <see cref="WarningCatalog"/> lists it: the code stored in <c>ingest_warnings.kind</c>,
/// how much it matters, the stage that writes it, what it means, what to do about it, and where the problem comes
/// from (a public report or a fact of the trace-event format). Only the catalogue creates kinds, so every code a
/// database can hold is in <see cref="WarningCatalog.All"/>.
/// </summary>
public sealed record WarningKind
{
    internal WarningKind(string code, WarningSeverity severity, WarningStage stage, string meaning, string whatToDo, string source)
    {
        Code = code;
        Severity = severity;
        Stage = stage;
        Meaning = meaning;
        WhatToDo = whatToDo;
        Source = source;
    }

    /// <summary>The stable snake_case code stored in <c>ingest_warnings.kind</c> (e.g. <c>trailing_comma</c>).</summary>
    public string Code { get; }

    /// <summary>How much it matters for the run's numbers.</summary>
    public WarningSeverity Severity { get; }

    /// <summary>The stage that writes it.</summary>
    public WarningStage Stage { get; }

    /// <summary>What happened and what ingest did, in one or two sentences (the per-run detail gives the numbers).</summary>
    public string Meaning { get; }

    /// <summary>What the user can do, or "Nothing to do" with the reason.</summary>
    public string WhatToDo { get; }

    /// <summary>Where the problem was reported (public links) or the trace-format fact behind it, in our words.</summary>
    public string Source { get; }

    /// <summary>The code.</summary>
    public override string ToString() => Code;
}
