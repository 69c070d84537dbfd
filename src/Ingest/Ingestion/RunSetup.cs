using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Phases;
using LlmPipeline.Analysis.Profiles;

namespace LlmPipeline.Ingest.Ingestion;

/// <summary>The model config and profile chosen for a run, with the reasons shown in the ingest summary.</summary>
/// <param name="Config">The model config, or null when none was given or found.</param>
/// <param name="ConfigNote">Where the config came from (<c>--config</c>, next to the trace), or null.</param>
/// <param name="Profile">The profile used.</param>
/// <param name="ProfileReason">Why this profile.</param>
/// <param name="PhaseRules">Step-marker grammars and attention signatures for phases: a <c>--step-markers</c> file's
/// rules first, then the built-in ones (<see cref="PhaseRules.ForUserFile"/>).</param>
public sealed record RunSetup(ModelConfig? Config, string? ConfigNote, ModelProfile Profile, string ProfileReason, PhaseRules PhaseRules)
{
    /// <summary>
    /// Resolves the config (<c>--config</c>, else a <c>config.json</c> next to the trace) and the profile
    /// (<c>--profile</c> always wins, else inferred from the config: docs/profiles.md, 'Choosing a profile'), and loads the
    /// <c>--step-markers</c> file, so that a bad file fails before the trace is read.
    /// </summary>
    /// <exception cref="IngestException">The config, profile or step-markers file is missing or malformed.</exception>
    public static RunSetup Resolve(string tracePath, string? configPath, string? profile, string? stepMarkers = null)
    {
        ModelConfig? config = null;
        string? note = null;
        var path = configPath;
        if (path is null)
        {
            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tracePath)) ?? ".", "config.json");
            if (File.Exists(beside))
            {
                path = beside;
                note = $"config.json found next to the trace ({beside})";
            }
        }
        else
        {
            note = $"--config {path}";
        }
        if (path is not null)
        {
            if (!File.Exists(path)) throw new IngestException($"{path}: config file not found.");
            try
            {
                config = ModelConfigReader.Read(path);
            }
            catch (Exception ex) when (ex is not IngestException)
            {
                throw new IngestException($"{path}: cannot read the model config: {ex.Message}", ex);
            }
        }
        ModelProfile chosen;
        string reason;
        try
        {
            if (profile is not null)
            {
                chosen = ProfileCatalog.Get(profile);
                reason = $"--profile {profile}";
            }
            else
            {
                var (name, why) = ProfileInference.Infer(config);
                chosen = ProfileCatalog.Get(name);
                reason = why;
            }
        }
        catch (Exception ex) when (ex is not IngestException)
        {
            throw new IngestException(ex.Message, ex);
        }
        PhaseRules rules;
        try
        {
            rules = PhaseRules.ForUserFile(stepMarkers);
        }
        catch (ProfileFormatException ex)
        {
            throw new IngestException(ex.Message, ex);
        }
        return new RunSetup(config, note, chosen, reason, rules);
    }
}
