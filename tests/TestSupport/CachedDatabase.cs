namespace LlmPipeline.TestSupport;

/// <summary>
/// A database that several tests build identically (the same ingests of the same repository files, in the same order),
/// built once per test process and copied for each test that asks. Each test reads or changes its own copy, which holds
/// what its own ingests would have written; only the wall-clock columns (<c>ingested_at</c>) are the first build's.
/// </summary>
/// <typeparam name="T">What the build returns besides the file (the ingest's outcome or output), the same for every copy.</typeparam>
public sealed class CachedDatabase<T>
{
    private static readonly Lazy<TempDir> Folder = new(() =>
    {
        var dir = new TempDir();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Dispose();
        return dir;
    });

    private readonly Lazy<(string Path, T Built)> _built;

    /// <summary>A database built on first use by <paramref name="build"/>, which writes it at the path it is given.</summary>
    /// <param name="name">A file name stem for the built database (for reading a failed build's folder).</param>
    /// <param name="build">Writes the database at the given path (through the library or the CLI) and returns what the
    /// ingest said. It runs once; an exception it throws reaches every test that asks for a copy.</param>
    public CachedDatabase(string name, Func<string, T> build) =>
        _built = new(() =>
        {
            var path = Folder.Value.File($"{name}-{Guid.NewGuid():N}.db");
            return (path, build(path));
        }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Copies the database to <paramref name="destination"/> (which must not exist) and returns what the build returned.</summary>
    public T CopyTo(string destination)
    {
        var (path, built) = _built.Value;
        File.Copy(path, destination);
        // LlmDatabase opens connections without pooling, so a finished build leaves no -wal file; copy one if it did.
        if (File.Exists(path + "-wal")) File.Copy(path + "-wal", destination + "-wal");
        return built;
    }
}
