using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>
/// A database written by the real <c>llmpipe ingest</c> from the shipped sample
/// tests/data/sglang_qwen3_8b_decode (SGLang Qwen3-8B decode, 36 layers): run 1. Ingested twice (run 2 with a label)
/// so that exports have two partitions. Shared by the tests of one class.
/// </summary>
public sealed class SampleDatabaseFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public SampleDatabaseFixture()
    {
        Path = _dir.File("sample.db");
        var trace = SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/sglang_Qwen3-8B_decode.json.gz");
        var config = SharedData.RepoFile("tests/data/sglang_qwen3_8b_decode/config.json");
        foreach (var label in new[] { "first", "second" })
        {
            var r = Llmpipe.Run("ingest", trace, "--config", config, "--label", label, "--force", "--db", Path, "--quiet");
            if (r.ExitCode != 0) throw new InvalidOperationException("ingest of the sample failed: " + r.Stderr);
        }
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>A fresh path in the fixture's temporary folder.</summary>
    public string File(string name) => _dir.File(name);

    public void Dispose() => _dir.Dispose();
}
