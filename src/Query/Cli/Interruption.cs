namespace LlmPipeline.Query.Cli;

/// <summary>
/// Ctrl-C for the commands that stop cleanly (<c>ingest</c>: it says what was stored and what was not, exit
/// <see cref="ExitCodes.Interrupted"/>). While such a command <see cref="Watch">watches</see>, the first Ctrl-C only
/// cancels <see cref="Token"/>; with no command watching, or at a second Ctrl-C, the process ends as the runtime
/// ends it (exit 130, nothing printed).
/// </summary>
public sealed class Interruption
{
    private readonly CancellationTokenSource _source = new();
    private int _watchers;

    /// <summary>Cancelled by the first <see cref="TryInterrupt"/> while a command watches.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether <see cref="Token"/> was cancelled.</summary>
    public bool Interrupted => _source.IsCancellationRequested;

    /// <summary>Marks the calling command as one that stops cleanly until the returned handle is disposed.</summary>
    public IDisposable Watch()
    {
        Interlocked.Increment(ref _watchers);
        return new Watcher(this);
    }

    /// <summary>
    /// Called for Ctrl-C: cancels <see cref="Token"/> and returns true (the process goes on, to stop cleanly) when a
    /// command watches and it was not cancelled yet; else false (let the process end).
    /// </summary>
    public bool TryInterrupt()
    {
        if (Volatile.Read(ref _watchers) == 0 || _source.IsCancellationRequested) return false;
        _source.Cancel();
        return true;
    }

    private sealed class Watcher(Interruption owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref owner._watchers);
        }
    }
}
