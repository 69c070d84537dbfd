using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Profiles;

namespace LlmPipeline.Ingest.Pipeline;

/// <summary>The model config and profile chosen for a run, with the reasons shown in the ingest summary.</summary>
/// <param name="Config">The model config, or null when none was given or found.</param>
/// <param name="ConfigNote">Where the config came from (<c>--config</c>, next to the trace), or null.</param>
/// <param name="Profile">The profile used.</param>
/// <param name="ProfileReason">Why this profile.</param>
public sealed record RunSetup(ModelConfig? Config, string? ConfigNote, ModelProfile Profile, string ProfileReason)
{
    /// <summary>
    /// Resolves the config (<c>--config</c>, else a <c>config.json</c> next to the trace) and the profile
    /// (<c>--profile</c> always wins, else inferred from the config, decisions.md §2).
    /// </summary>
    /// <exception cref="IngestException">The config or profile file is missing or malformed.</exception>
    public static RunSetup Resolve(string tracePath, string? configPath, string? profile)
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
        return new RunSetup(config, note, chosen, reason);
    }
}
