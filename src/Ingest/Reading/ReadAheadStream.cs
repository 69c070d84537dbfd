using System.Collections.Concurrent;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// Reads an inner stream on a background thread into a small ring of buffers, so that file I/O and gzip
/// decompression run on one core while the trace is parsed and written on another. Memory is bounded by
/// <c>depth × bufferSize</c> bytes, whatever the trace size. Exceptions of the inner stream surface on the
/// consumer's next <see cref="Read(Span{byte})"/>.
/// </summary>
public sealed class ReadAheadStream : LlmPipeline.Ingest.Reading.ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly BlockingCollection<(byte[] Buffer, int Count)> _filled;
    private readonly BlockingCollection<byte[]> _free;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private Exception? _error;
    private byte[]? _current;
    private int _currentCount;
    private int _currentOffset;
    private bool _ended;
    private long _position;

    /// <summary>Starts reading <paramref name="inner"/> ahead.</summary>
    /// <param name="inner">The stream to read (owned: disposed with this one).</param>
    /// <param name="bufferSize">Bytes per buffer.</param>
    /// <param name="depth">Buffers in flight.</param>
    public ReadAheadStream(Stream inner, int bufferSize = 1 << 20, int depth = 4)
    {
        _inner = inner;
        _filled = new BlockingCollection<(byte[], int)>(depth);
        _free = new BlockingCollection<byte[]>(depth + 1);
        for (var i = 0; i < depth + 1; i++) _free.Add(new byte[bufferSize]);
        _thread = new Thread(Pump) { IsBackground = true, Name = "llmpipe-read-ahead" };
        _thread.Start();
    }

    /// <inheritdoc />
        /// <inheritdoc />
    public override long Position { get => _position; set => throw new NotSupportedException(); }


    /// <inheritdoc />
    public override int Read(Span<byte> destination)
    {
        if (destination.IsEmpty) return 0;
        while (_current is null || _currentOffset == _currentCount)
        {
            if (_current is not null)
            {
                _free.Add(_current);
                _current = null;
            }
            if (_ended) return 0;
            if (!_filled.TryTake(out var item, Timeout.Infinite))
            {
                _ended = true;
                if (_error is not null) throw new IOException(_error.Message, _error);
                return 0;
            }
            if (item.Count == 0)
            {
                _ended = true;
                if (_error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_error).Throw();
                return 0;
            }
            _current = item.Buffer;
            _currentCount = item.Count;
            _currentOffset = 0;
        }
        var n = Math.Min(destination.Length, _currentCount - _currentOffset);
        _current.AsSpan(_currentOffset, n).CopyTo(destination);
        _currentOffset += n;
        _position += n;
        return n;
    }

    private void Pump()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var buffer = _free.Take(_stop.Token);
                var count = 0;
                while (count < buffer.Length)
                {
                    var n = _inner.Read(buffer, count, buffer.Length - count);
                    if (n == 0) break;
                    count += n;
                }
                _filled.Add((buffer, count), _stop.Token);
                if (count == 0) return;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            _error = ex;
            try { _filled.Add((Array.Empty<byte>(), 0)); } catch (InvalidOperationException) { }
        }
    }


    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            _thread.Join();
            _inner.Dispose();
            _stop.Dispose();
            _filled.Dispose();
            _free.Dispose();
        }
        base.Dispose(disposing);
    }
}
