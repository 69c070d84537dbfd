namespace LlmPipeline.Ingest.Launches;

/// <summary>
/// Gives a kernel's launch context (launching cpu_op name, its Input Dims, grid, block: the run-local ids of
/// <see cref="Normalizing.DeviceKernels"/>) the id its kernel row stores: the database's <c>launch_contexts.context_id</c>
/// (<see cref="LaunchContexts"/>), or a run-local number while the row is parked before the run's transaction
/// (<see cref="RunLocalLaunchContexts"/>).
/// </summary>
public interface ILaunchContextIds
{
    /// <summary>The id of the combination (each id -1 when unknown); null when all four are unknown.</summary>
    /// <param name="op">Launching cpu_op name id (<see cref="Normalizing.EventNormalizer.OpNames"/>), or -1.</param>
    /// <param name="dims">Its Input Dims id (<see cref="Normalizing.EventNormalizer.OpDims"/>), or -1.</param>
    /// <param name="grid">Grid text id (<see cref="Normalizing.EventNormalizer.SmallTexts"/>), or -1.</param>
    /// <param name="block">Block text id, or -1.</param>
    long? IdOf(int op, int dims, int grid, int block);
}
