namespace LlmPipeline.Analysis.Warnings;

/// <summary>
/// How much a warning kind matters for the numbers a run reports, from "nothing lost" to "no result". Printed in
/// snake_case (<see cref="WarningCatalog.Label(WarningSeverity)"/>); described for users by
/// <see cref="WarningCatalog.Describe(WarningSeverity)"/>.
/// </summary>
public enum WarningSeverity
{
    /// <summary>Nothing was lost and nothing changed meaning; said so that a number can be traced back.</summary>
    Info,

    /// <summary>The file broke the JSON or gzip format and the reader repaired it; <c>--strict</c> refuses it instead.</summary>
    Repair,

    /// <summary>Events were set aside: they are in no table, and every total leaves them out.</summary>
    SetAside,

    /// <summary>The run is stored, but some of its values are NULL, partial or less certain.</summary>
    Degraded,

    /// <summary>A step of the analysis gave no result for the run (no events, no passes).</summary>
    Failed,
}
