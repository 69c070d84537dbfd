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
    private static void Replay(Batch batch)
    {
        var statement = batch.Insert.Statement;
        var log = batch.Log.AsSpan(0, batch.Length);
        var at = 0;
        while (at < log.Length)
        {
            var op = log[at++];
            if (op == OpRun)
            {
                batch.Insert.Step();
                continue;
            }
            var column = log[at++] + 1;
            switch (op)
            {
                case OpInt64:
                    raw.sqlite3_bind_int64(statement, column, BinaryPrimitives.ReadInt64LittleEndian(log[at..]));
                    at += 8;
                    break;
                case OpDouble:
                    raw.sqlite3_bind_double(statement, column, BinaryPrimitives.ReadDoubleLittleEndian(log[at..]));
                    at += 8;
                    break;
                case OpNull:
                    raw.sqlite3_bind_null(statement, column);
                    break;
                case OpText:
                    var length = BinaryPrimitives.ReadInt32LittleEndian(log[at..]);
                    at += 4;
                    raw.sqlite3_bind_text(statement, column, log.Slice(at, length));
                    at += length;
                    break;
                default:
                    throw new InvalidOperationException($"insert queue: unknown op {op} at {at - 2}");
            }
        }
    }

    /// <summary>Lets the writer finish what is queued, then stops it.</summary>
    public void Dispose()
    {
        _pending.CompleteAdding();
        _thread.Join();
        _pending.Dispose();
    }
}
