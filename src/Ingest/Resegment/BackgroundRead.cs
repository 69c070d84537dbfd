namespace LlmPipeline.Ingest.Resegment;

/// <summary>
/// A read started on a worker thread while the command goes on (a resegment reads the run's kernels and phase inputs
/// on read-only connections of their own while it checks the run and resolves its profile). Disposing it waits for
/// the read to end, so a command that fails before taking the result leaves no read running on the file; the read's
/// own error is then dropped in favour of the command's.
/// </summary>
/// <typeparam name="T">What the read returns.</typeparam>
internal sealed class BackgroundRead<T> : IDisposable
{
    private readonly Task<T> _task;

    private BackgroundRead(Task<T> task) => _task = task;

    /// <summary>Starts <paramref name="read"/> on a thread of its own (a read takes a while; pool threads stay free for
    /// the command's shorter work).</summary>
    public static BackgroundRead<T> Start(Func<T> read) =>
        new(Task.Factory.StartNew(read, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    /// <summary>Waits for the read and returns its result.</summary>
    /// <exception cref="Exception">The read's own exception, as it threw it (not wrapped).</exception>
    public T Result => _task.GetAwaiter().GetResult();

    /// <summary>Waits for the read to end, ignoring its outcome.</summary>
    public void Dispose()
    {
        try
        {
            _task.Wait();
        }
        catch (AggregateException)
        {
            // Reported through Result when the command took it; otherwise the command's own error is the one that counts.
        }
    }
}
