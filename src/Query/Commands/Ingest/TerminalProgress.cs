using System.Diagnostics;
using System.Globalization;
using LlmPipeline.Ingest.Pipeline;

namespace LlmPipeline.Query.Commands.Ingest;

/// <summary>
/// Progress on a terminal's stderr: one line rewritten in place (stage, MB of the file read, MB/s), at most five
/// times a second. Called synchronously from the reading thread.
/// </summary>
public sealed class TerminalProgress : IProgress<IngestProgress>
{
    private readonly TextWriter _error;
    private readonly string _name;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastMs = -1000;
    private bool _written;

    /// <summary>Creates the display for one trace file.</summary>
    public TerminalProgress(TextWriter error, string tracePath)
    {
        _error = error;
        _name = Path.GetFileName(tracePath);
    }

    /// <inheritdoc />
    public void Report(IngestProgress value)
    {
        var now = _clock.ElapsedMilliseconds;
        if (now - _lastMs < 200) return;
        _lastMs = now;
        var mb = value.CompressedBytesRead / 1e6;
        var rate = now > 0 ? value.BytesRead / 1e6 / (now / 1000.0) : 0;
        var pct = value.FileBytes > 0 ? $" {100.0 * value.CompressedBytesRead / value.FileBytes,5:F1}%" : "";
        _error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{_name}: {value.Stage} {mb,8:F1} MB{pct}  {rate,7:F1} MB/s   "));
        _written = true;
    }

    /// <summary>Ends the progress line.</summary>
    public void Finish()
    {
        if (_written) _error.WriteLine();
    }
}
