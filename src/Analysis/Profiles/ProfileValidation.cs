namespace LlmPipeline.Analysis.Profiles;

/// <summary>Result of <see cref="ProfileCatalog.Validate"/>: the parsed profile, or the error naming file and field.</summary>
/// <param name="IsValid">Whether the file parsed and every field is valid.</param>
/// <param name="Profile">The profile when valid, else null.</param>
/// <param name="Error">The error message (<c>file: field: problem</c>) when invalid, else null.</param>
/// <param name="Field">The faulty field's JSON path when invalid, else null.</param>
public sealed record ProfileValidation(bool IsValid, ModelProfile? Profile, string? Error, string? Field);
