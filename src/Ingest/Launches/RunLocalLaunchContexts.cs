namespace LlmPipeline.Ingest.Launches;

/// <summary>
/// The launch contexts of one run numbered 0, 1, 2, … in the order its kernels first use them, for kernel rows parked
/// before the run's transaction (a file of a group, <see cref="Storage.GroupStagingDatabase"/>). Inside the transaction,
/// <see cref="Keys"/> is asked of <see cref="LaunchContexts"/> in that same order, so the contexts the database lacks
/// get the ids they get when the kernels are written from memory.
/// </summary>
public sealed class RunLocalLaunchContexts : ILaunchContextIds
{
    private readonly Dictionary<(int Op, int Dims, int Grid, int Block), long> _ids = [];
    private readonly List<(int Op, int Dims, int Grid, int Block)> _keys = [];

    /// <summary>Each combination by its run-local number (index), in order of first use.</summary>
    public IReadOnlyList<(int Op, int Dims, int Grid, int Block)> Keys => _keys;

    /// <inheritdoc />
    public long? IdOf(int op, int dims, int grid, int block)
    {
        if (op < 0 && dims < 0 && grid < 0 && block < 0) return null;
        var key = (op, dims, grid, block);
        if (_ids.TryGetValue(key, out var id)) return id;
        _keys.Add(key);
        return _ids[key] = _keys.Count - 1;
    }
}
