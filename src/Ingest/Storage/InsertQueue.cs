using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using SQLitePCL;

namespace LlmPipeline.Ingest.Storage;

/// <summary>
/// Runs the bind and step calls of queued <see cref="BulkInsert"/> statements on one background thread, so that
/// SQLite's row insertion (the writer) overlaps with parsing and normalizing the trace (the reader): the two cores
/// of issue 6's machine each get one half. Each insert records its <c>Set</c>/<c>Run</c> calls as a compact op log
/// (a byte buffer, ~10 bytes per integer column); full logs are handed over through a bounded queue, so memory stays
/// at a few MiB however large the trace.
/// </summary>
/// <remarks>
/// The SQLite connection is used by the writer thread only between <see cref="Enqueue"/> and <see cref="Flush"/>:
/// every other use of the connection must call <see cref="Flush"/> first (<see cref="StagingDatabase"/> does this
/// in its <c>Connection</c> and <c>Transaction</c> getters). An error on the writer thread is rethrown, with its
/// original stack, by the next <see cref="Enqueue"/> or <see cref="Flush"/>.
/// </remarks>
public sealed class InsertQueue : IDisposable
{
    /// <summary>Op codes of the log.</summary>
    internal const byte OpInt64 = 1, OpNull = 2, OpDouble = 3, OpText = 4, OpRun = 5;

    private readonly BlockingCollection<Batch> _pending;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private int _inFlight;
    private ExceptionDispatchInfo? _error;

    /// <summary>Starts the writer thread.</summary>
    /// <param name="capacity">Batches that may wait in the queue before <see cref="Enqueue"/> blocks (memory bound: capacity × batch bytes).</param>
    public InsertQueue(int capacity = 8)
    {
        _pending = new BlockingCollection<Batch>(capacity);
        _thread = new Thread(Drain) { IsBackground = true, Name = "llmpipe-staging-writer" };
        _thread.Start();
    }

    /// <summary>One op log of one statement.</summary>
    internal readonly record struct Batch(BulkInsert Insert, byte[] Log, int Length);

    /// <summary>Hands a full op log to the writer thread (blocks while the queue is full).</summary>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">An earlier batch failed on the writer thread.</exception>
    internal void Enqueue(BulkInsert insert, byte[] log, int length)
    {
        _error?.Throw();
        lock (_gate) _inFlight++;
        _pending.Add(new Batch(insert, log, length));
    }

    /// <summary>Waits until every enqueued batch has run.</summary>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">A batch failed on the writer thread.</exception>
    public void Flush()
    {
        lock (_gate)
        {
            while (_inFlight > 0) Monitor.Wait(_gate);
        }
        _error?.Throw();
    }

    private void Drain()
    {
        foreach (var batch in _pending.GetConsumingEnumerable())
        {
            try
            {
                if (_error is null) Replay(batch);
            }
            catch (Exception ex)
            {
                _error = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                batch.Insert.ReturnLog(batch.Log);
                lock (_gate)
                {
                    _inFlight--;
                    if (_inFlight == 0) Monitor.PulseAll(_gate);
                }
            }
        }
    }

    /// <summary>Executes one op log: the same bind/step calls, in the same order, the direct mode would have made.</summary>
    /// <remarks>
    /// Texts are bound in place from the pinned log (no copy). A binding outlives its row (a column not set again keeps
    /// its value), but not the log, which is reused once replayed: a text binding still current at the end of the log
    /// is bound again as a copy.
    /// </remarks>
    private static void Replay(Batch batch)
    {
        var statement = batch.Insert.Handle;
        var log = batch.Log.AsSpan(0, batch.Length);
        Span<int> textAt = stackalloc int[256]; // by column: offset of the text bound in place from this log, or -1
        textAt.Fill(-1);
        var at = 0;
        try
        {
            while (at < log.Length)
            {
                var op = log[at++];
                if (op == OpRun)
                {
                    batch.Insert.Step();
                    continue;
                }
                var column = log[at++] + 1;
                textAt[column - 1] = -1;
                switch (op)
                {
                    case OpInt64:
                        SqliteNative.Bind(statement, column, BinaryPrimitives.ReadInt64LittleEndian(log[at..]));
                        at += 8;
                        break;
                    case OpDouble:
                        SqliteNative.Bind(statement, column, BinaryPrimitives.ReadDoubleLittleEndian(log[at..]));
                        at += 8;
                        break;
                    case OpNull:
                        SqliteNative.Null(statement, column);
                        break;
                    case OpText:
                        textAt[column - 1] = at;
                        SqliteNative.PinnedText(statement, column, Text(log, ref at));
                        break;
                    default:
                        throw new InvalidOperationException($"insert queue: unknown op {op} at {at - 2}");
                }
            }
        }
        finally
        {
            for (var c = 0; c < textAt.Length; c++)
            {
                if (textAt[c] < 0) continue;
                var from = textAt[c];
                SqliteNative.Text(statement, c + 1, Text(log, ref from));
            }
        }
    }

    /// <summary>The text whose length prefix is at <paramref name="at"/>; moves past it.</summary>
    private static ReadOnlySpan<byte> Text(ReadOnlySpan<byte> log, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(log[at..]);
        var text = log.Slice(at + 4, length);
        at += 4 + length;
        return text;
    }

    /// <summary>Lets the writer finish what is queued, then stops it.</summary>
    public void Dispose()
    {
        _pending.CompleteAdding();
        _thread.Join();
        _pending.Dispose();
    }
}
