using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>
/// A database written by the real <c>llmpipe ingest</c> from the shipped sample
/// tests/data/sglang_qwen3_8b_decode (SGLang Qwen3-8B decode, 36 layers) with its config: run 1. Ingested twice (run 2
/// with a label) so that exports have two partitions (<see cref="SampleDatabases.CopyTwiceWithConfig"/>). Each class's
/// fixture is its own copy, shared by the tests of that class.
/// </summary>
public sealed class SampleDatabaseFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public SampleDatabaseFixture()
    {
        Path = _dir.File("sample.db");
        SampleDatabases.CopyTwiceWithConfig(Path);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>A fresh path in the fixture's temporary folder.</summary>
    public string File(string name) => _dir.File(name);

    public void Dispose() => _dir.Dispose();
}
