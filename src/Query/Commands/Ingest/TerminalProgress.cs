using System.Diagnostics;
using System.Globalization;
using LlmPipeline.Ingest.Ingestion;

namespace LlmPipeline.Query.Commands.Ingest;

/// <summary>
/// Progress on a terminal's stderr: one line per file rewritten in place (stage, MB of the file read, MB/s), at most
/// five times a second. Called synchronously from the ingesting threads; a report about another file
/// (<see cref="IngestProgress.TracePath"/>) ends the current line and starts that file's.
/// </summary>
public sealed class TerminalProgress : IProgress<IngestProgress>
{
    private readonly TextWriter _error;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private string? _path;
    private string _name;
    private long _lastMs = -1000;
    private bool _written;

    /// <summary>Creates the display.</summary>
    /// <param name="error">Standard error.</param>
    /// <param name="tracePath">The file shown until a report names another; null: the first report's file.</param>
    public TerminalProgress(TextWriter error, string? tracePath = null)
    {
        _error = error;
        _path = tracePath;
        _name = tracePath is null ? "" : Path.GetFileName(tracePath);
    }

    /// <inheritdoc />
    public void Report(IngestProgress value)
    {
        lock (_lock) Show(value);
    }

    private void Show(IngestProgress value)
    {
        if (value.TracePath is { } path && path != _path)
        {
            Finish();
            (_path, _name, _lastMs, _written) = (path, Path.GetFileName(path), -1000, false);
            _clock.Restart();
        }
        var now = _clock.ElapsedMilliseconds;
        if (now - _lastMs < 200) return;
        _lastMs = now;
        _error.Write(Line(_name, value, now));
        _written = true;
    }

    /// <summary>
    /// The progress line (starting with a carriage return, so it overwrites the previous one): file name, stage, MB of
    /// the file read and its percentage, MB/s of JSON parsed, and the ETA from the file bytes still to read at the rate
    /// so far (omitted until a second has passed or when the size is unknown).
    /// </summary>
    /// <param name="name">File name shown.</param>
    /// <param name="value">The progress report.</param>
    /// <param name="elapsedMs">Milliseconds since the ingest started.</param>
    public static string Line(string name, IngestProgress value, long elapsedMs)
    {
        var mb = value.CompressedBytesRead / 1e6;
        var rate = elapsedMs > 0 ? value.BytesRead / 1e6 / (elapsedMs / 1000.0) : 0;
        var pct = value.FileBytes > 0 ? $" {100.0 * value.CompressedBytesRead / value.FileBytes,5:F1}%" : "";
        var eta = "";
        if (value.FileBytes > 0 && value.CompressedBytesRead > 0 && elapsedMs >= 1000 && value.CompressedBytesRead < value.FileBytes)
        {
            var seconds = (value.FileBytes - value.CompressedBytesRead) * (elapsedMs / 1000.0) / value.CompressedBytesRead;
            var t = TimeSpan.FromSeconds(Math.Ceiling(seconds));
            eta = t.TotalHours >= 1 ? $"  ETA {(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"  ETA {t.Minutes}:{t.Seconds:D2}";
        }
        return string.Create(CultureInfo.InvariantCulture, $"\r{name}: {value.Stage} {mb,8:F1} MB{pct}  {rate,7:F1} MB/s{eta}   ");
    }

    /// <summary>Ends the progress line.</summary>
    public void Finish()
    {
        if (_written) _error.WriteLine();
    }
}
