using Xunit;

namespace LlmPipeline.TestSupport;

/// <summary>
/// Locates the repository root and the <c>../shared</c> material (real traces and configs) that CI places beside
/// the repository. Tests that need <c>../shared</c> call <see cref="RequireTrace"/> / <see cref="RequireConfig"/>,
/// which mark the test as skipped (never passed) when the folder is absent.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding <c>LlmPipeline.sln</c>).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The <c>shared</c> folder beside the repository, or <c>LLMPIPE_SHARED</c> when set.</summary>
    public static string SharedDir =>
        Environment.GetEnvironmentVariable("LLMPIPE_SHARED") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>Whether the shared folder is present.</summary>
    public static bool Available => Directory.Exists(Path.Combine(SharedDir, "traces"));

    /// <summary>Full path of a trace under <c>shared/traces</c>; skips the test when it is absent.</summary>
    public static string RequireTrace(string relative) => Require(Path.Combine("traces", relative));

    /// <summary>Full path of a graph-capture trace (or folder) under <c>shared/captures</c>; skips the test when it is absent.</summary>
    public static string RequireCapture(string relative)
    {
        var path = Path.Combine(SharedDir, "captures", relative);
        Skip.IfNot(File.Exists(path) || Directory.Exists(path), $"skipped: {path} not found (the ../shared folder beside the repository is absent)");
        return path;
    }

    /// <summary>Full path of a config under <c>shared/configs</c>; skips the test when it is absent.</summary>
    public static string RequireConfig(string relative) => Require(Path.Combine("configs", relative));

    /// <summary>Full path of a file shipped in the repository (relative to the repository root).</summary>
    public static string RepoFile(string relative)
    {
        var path = Path.Combine(RepoRoot, relative);
        if (!File.Exists(path)) throw new FileNotFoundException($"Repository file missing: {path}", path);
        return path;
    }

    private static string Require(string relative)
    {
        var path = Path.Combine(SharedDir, relative);
        Skip.IfNot(File.Exists(path), $"skipped: {path} not found (the ../shared folder beside the repository is absent)");
        return path;
    }

    private static string FindRepoRoot()
    {
        var baked = typeof(SharedData).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (baked is not null && File.Exists(Path.Combine(baked, "LlmPipeline.sln"))) return Path.GetFullPath(baked);
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LlmPipeline.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LlmPipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
